"""api_integration: a short API spec plus a request in plain words -> one canonical request line.

Canonical request line: ``METHOD /path`` with path parameters substituted; query parameters that
the request mentions appended as ``?k=v&k2=v2`` in the order the spec lists them (values
percent-encoded with ``urllib.parse.quote(v, safe="")``); for POST/PUT/PATCH a space and the JSON
body ``json.dumps(body, ensure_ascii=False)`` with keys in spec order.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # id | int | money | enum | email | date | text | word | bool
    where: str  # path | query | body
    nl: tuple[str, ...] = ()  # clause templates for optional query params / phrases for body values
    choices: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    params: tuple[Param, ...]
    asks: tuple[str, ...]  # request templates; {name} placeholders for required params

    def spec(self) -> str:
        q = [p for p in self.params if p.where == "query"]
        b = [p for p in self.params if p.where == "body"]
        line = f"{self.method} {self.path}"
        if q:
            line += "  query: " + ", ".join(f"{p.name} ({_ptype(p)})" for p in q)
        if b:
            line += "  body: " + ", ".join(f"{p.name} ({_ptype(p)}{'' if p.required else ', optional'})" for p in b)
        return line


def _ptype(p: Param) -> str:
    if p.choices:
        return "|".join(p.choices)
    return {"id": "int", "int": "int", "money": "number", "email": "string", "date": "YYYY-MM-DD",
            "text": "string", "word": "string", "bool": "true|false"}[p.kind]


def P(name: str, kind: str, where: str, *nl: str, choices: tuple[str, ...] = (), required: bool = True) -> Param:
    return Param(name, kind, where, tuple(nl), choices, required)


API_DOMAINS: tuple[tuple[str, tuple[Endpoint, ...]], ...] = (
    ("Billing v1", (
        Endpoint("GET", "/v1/customers/{customer_id}/invoices", (
            P("customer_id", "id", "path"),
            P("status", "enum", "query", "with status {v}", "that are {v}", choices=("open", "paid", "void")),
            P("limit", "int", "query", "at most {v} of them", "limited to {v} results"),
        ), ("List the invoices of customer {customer_id}", "Show customer {customer_id}'s invoices",
            "I need the invoices for customer #{customer_id}")),
        Endpoint("POST", "/v1/invoices", (
            P("customer_id", "id", "body"), P("amount", "money", "body"),
            P("currency", "enum", "body", choices=("USD", "EUR", "GBP")),
        ), ("Create an invoice for customer {customer_id} over {amount} {currency}",
            "Bill customer {customer_id} {amount} {currency}",
            "Issue a new {currency} invoice of {amount} to customer {customer_id}")),
        Endpoint("DELETE", "/v1/invoices/{invoice_id}", (P("invoice_id", "id", "path"),),
                 ("Delete invoice {invoice_id}", "Remove the invoice with id {invoice_id}", "Invoice {invoice_id} was a mistake, delete it")),
        Endpoint("PATCH", "/v1/customers/{customer_id}", (P("customer_id", "id", "path"), P("email", "email", "body")),
                 ("Change the email of customer {customer_id} to {email}", "Customer {customer_id} has a new email: {email}",
                  "Update customer {customer_id}: email {email}")),
        Endpoint("GET", "/v1/payments", (
            P("since", "date", "query", "since {v}", "received after {v}"),
            P("method", "enum", "query", "paid by {v}", "made with {v}", choices=("card", "bank", "paypal")),
            P("limit", "int", "query", "at most {v} of them", "only {v} results"),
        ), ("List payments", "Show the payments", "Fetch the payment list")),
    )),
    ("Shop API", (
        Endpoint("GET", "/api/products", (
            P("q", "word", "query", "matching '{v}'", "that match the search term '{v}'"),
            P("category", "enum", "query", "in the {v} category", "from category {v}", choices=("books", "garden", "toys", "audio", "kitchen")),
            P("max_price", "int", "query", "costing at most {v}", "under a price of {v}"),
        ), ("Search the products", "Find products", "Look up products")),
        Endpoint("POST", "/api/carts/{cart_id}/items", (
            P("cart_id", "id", "path"), P("product_id", "id", "body"), P("quantity", "int", "body"),
        ), ("Add {quantity} units of product {product_id} to cart {cart_id}",
            "Put product {product_id} (quantity {quantity}) into cart {cart_id}",
            "Cart {cart_id} needs {quantity} x product {product_id}")),
        Endpoint("POST", "/api/orders/{order_id}/cancel", (
            P("order_id", "id", "path"), P("reason", "enum", "body", choices=("duplicate", "fraud", "customer_request")),
        ), ("Cancel order {order_id} because of {reason}", "Order {order_id} must be cancelled, reason: {reason}",
            "Please cancel order {order_id} ({reason})")),
        Endpoint("GET", "/api/orders/{order_id}", (P("order_id", "id", "path"),),
                 ("Get the details of order {order_id}", "Show me order {order_id}", "What is in order {order_id}?")),
        Endpoint("PUT", "/api/products/{product_id}/stock", (P("product_id", "id", "path"), P("quantity", "int", "body")),
                 ("Set the stock of product {product_id} to {quantity}", "Product {product_id} now has {quantity} in stock",
                  "Update stock for product {product_id}: {quantity} units")),
    )),
    ("HR service v2", (
        Endpoint("GET", "/v2/employees", (
            P("department", "enum", "query", "in {v}", "working in the {v} department", choices=("sales", "finance", "it", "legal", "support")),
            P("active", "bool", "query", "with active={v}", "filtered by active={v}"),
            P("limit", "int", "query", "at most {v} of them", "limited to {v}"),
        ), ("List employees", "Show the employees", "Get the staff list")),
        Endpoint("POST", "/v2/leave-requests", (
            P("employee_id", "id", "body"), P("start", "date", "body"), P("end", "date", "body"),
            P("type", "enum", "body", choices=("vacation", "sick", "parental")),
        ), ("File a {type} leave for employee {employee_id} from {start} to {end}",
            "Employee {employee_id} takes {type} leave {start} to {end}",
            "Request {type} leave for employee {employee_id}, starting {start}, ending {end}")),
        Endpoint("PATCH", "/v2/employees/{employee_id}", (P("employee_id", "id", "path"), P("title", "text", "body")),
                 ("Change the title of employee {employee_id} to {title}", "Employee {employee_id} is now {title}",
                  "Update employee {employee_id}'s job title: {title}")),
        Endpoint("DELETE", "/v2/leave-requests/{request_id}", (P("request_id", "id", "path"),),
                 ("Withdraw leave request {request_id}", "Delete leave request {request_id}", "Cancel the leave request with id {request_id}")),
    )),
    ("Helpdesk API", (
        Endpoint("GET", "/v1/tickets", (
            P("status", "enum", "query", "that are {v}", "with status {v}", choices=("new", "open", "pending", "solved")),
            P("priority", "enum", "query", "with {v} priority", "of priority {v}", choices=("low", "normal", "high", "urgent")),
            P("assignee", "word", "query", "assigned to {v}", "owned by {v}"),
        ), ("List tickets", "Show the tickets", "Fetch tickets")),
        Endpoint("POST", "/v1/tickets", (
            P("subject", "text", "body"), P("priority", "enum", "body", choices=("low", "normal", "high", "urgent")),
            P("requester", "email", "body"),
        ), ("Open a {priority} priority ticket '{subject}' for {requester}",
            "Create a ticket: subject '{subject}', priority {priority}, requester {requester}",
            "{requester} reports '{subject}'; file it as {priority} priority")),
        Endpoint("PATCH", "/v1/tickets/{ticket_id}", (
            P("ticket_id", "id", "path"), P("status", "enum", "body", choices=("open", "pending", "solved")),
        ), ("Mark ticket {ticket_id} as {status}", "Set the status of ticket {ticket_id} to {status}",
            "Ticket {ticket_id} is now {status}")),
        Endpoint("GET", "/v1/tickets/{ticket_id}/comments", (
            P("ticket_id", "id", "path"), P("limit", "int", "query", "at most {v} of them", "only the first {v}"),
        ), ("Show the comments on ticket {ticket_id}", "List ticket {ticket_id}'s comments", "Get the comments of ticket {ticket_id}")),
    )),
    ("Events API", (
        Endpoint("GET", "/v3/events", (
            P("from", "date", "query", "from {v}", "starting on or after {v}"),
            P("to", "date", "query", "until {v}", "ending by {v}"),
            P("city", "word", "query", "in {v}", "taking place in {v}"),
        ), ("List events", "Show upcoming events", "Find the events")),
        Endpoint("POST", "/v3/events", (
            P("title", "text", "body"), P("date", "date", "body"), P("capacity", "int", "body"),
        ), ("Create an event '{title}' on {date} for {capacity} people",
            "Schedule '{title}' for {date} with room for {capacity}",
            "New event: '{title}', date {date}, capacity {capacity}")),
        Endpoint("POST", "/v3/events/{event_id}/registrations", (
            P("event_id", "id", "path"), P("email", "email", "body"), P("seats", "int", "body"),
        ), ("Register {email} for event {event_id} with {seats} seats", "Book {seats} seats at event {event_id} for {email}",
            "Sign up {email} to event {event_id} ({seats} seats)")),
        Endpoint("DELETE", "/v3/events/{event_id}", (P("event_id", "id", "path"),),
                 ("Delete event {event_id}", "Cancel and remove event {event_id}", "Event {event_id} is off, delete it")),
    )),
)


def _api_value(ctx: GenContext, p: Param) -> Any:
    if p.choices:
        return ctx.choice(p.choices)
    if p.kind == "id":
        return ctx.randint(100, 99999)
    if p.kind == "int":
        return ctx.randint(1, 100)
    if p.kind == "money":
        return round(ctx.randint(100, 500000) / 100, 2)
    if p.kind == "email":
        return ctx.fake.email()
    if p.kind == "date":
        return ctx.fake.date_between_dates(_D0, _D1).isoformat()
    if p.kind == "text":
        return ctx.fake.catch_phrase().replace("'", "")
    if p.kind == "word":
        return ctx.choice((ctx.fake.first_name(), ctx.fake.city(), ctx.fake.word())).replace("'", "")
    if p.kind == "bool":
        return ctx.choice(("true", "false"))
    raise ValueError(p.kind)


# fixed date range for Faker (never the current date)
_D0 = _dt.date(2024, 1, 1)
_D1 = _dt.date(2026, 12, 31)


def _nl_value(v: Any) -> str:
    """How a value is written in the request: numbers exactly as json.dumps writes them."""
    return json.dumps(v) if isinstance(v, (int, float)) else str(v)


def api_request_line(ep: Endpoint, values: dict[str, Any]) -> str:
    """The canonical request line for ``values`` (only params present in ``values`` are used)."""
    path = ep.path
    for p in ep.params:
        if p.where == "path":
            path = path.replace("{" + p.name + "}", str(values[p.name]))
    qs = [f"{p.name}={quote(str(values[p.name]), safe='')}" for p in ep.params if p.where == "query" and p.name in values]
    line = f"{ep.method} {path}" + ("?" + "&".join(qs) if qs else "")
    body = {p.name: values[p.name] for p in ep.params if p.where == "body" and p.name in values}
    if ep.method in ("POST", "PUT", "PATCH"):
        line += " " + json.dumps(body, ensure_ascii=False)
    return line


class ApiIntegrationGenerator(Generator):
    """API spec + request -> canonical request line (format in the module docstring).

    Difficulty: the spec lists 2 / 3 / all endpoints of the API (the others are distractors) and the
    request mentions up to 1 / 2 / 3 optional query parameters.
    """

    name = "api_integration"
    task_type = "generation"
    phrasings = 5

    TEMPLATES = (
        "API spec ({api}):\n{spec}\nRequest: {req}\nWrite the HTTP request line.",
        "{req}\nAvailable endpoints:\n{spec}\nAnswer with METHOD path[?query] [JSON body].",
        "Using the {api} below, which call fulfils this request?\n{spec}\nUser: {req}",
        "Endpoints:\n{spec}\n\nTask: {req}",
        "You are calling the {api}.\n{spec}\n{who} asks: \"{req}\"\nRequest line:",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        api, endpoints = ctx.choice(API_DOMAINS)
        target_i = ctx.randint(0, len(endpoints) - 1)
        target = endpoints[target_i]
        n_show = min(len(endpoints), ctx.level(2, 3, len(endpoints)))
        others = [i for i in range(len(endpoints)) if i != target_i]
        shown = sorted([target_i] + ctx.sample(others, n_show - 1))
        values: dict[str, Any] = {}
        fill: dict[str, str] = {}
        for p in target.params:
            if p.where != "query":
                values[p.name] = _api_value(ctx, p)
                fill[p.name] = _nl_value(values[p.name])
        optional = [p for p in target.params if p.where == "query"]
        n_opt = min(len(optional), ctx.randint(0, ctx.level(1, 2, 3)))
        if not [p for p in target.params if p.where != "query"]:
            n_opt = max(n_opt, 1)  # a bare list call still mentions one filter
        chosen = ctx.sample(optional, n_opt)
        ctx.rng.shuffle(chosen)  # mention order differs from spec order; the canonical line uses spec order
        clauses = []
        for p in chosen:
            values[p.name] = _api_value(ctx, p)
            clauses.append(ctx.choice(p.nl).format(v=_nl_value(values[p.name])))
        req = ctx.choice(target.asks).format(**fill)
        if clauses:
            req += " " + ", ".join(clauses)
        req += ctx.choice((".", "", ", please.", "."))
        spec = "\n".join(endpoints[i].spec() for i in shown)
        line = api_request_line(target, values)
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(api=api, spec=spec, req=req, who=ctx.fake.first_name())
        return TrainingExample(
            prompt=prompt,
            response=line,
            metadata={"reference": line, "method": target.method, "endpoint": target.path, "values": values,
                      "phrasing": k},
        )


api_integration = Specialist("api_integration", ApiIntegrationGenerator)
