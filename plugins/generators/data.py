"""Generators for the ``data`` category: data_cleaning, data_transformation, table_qa.

* data_cleaning: a messy record (stray spaces, random case, several date / phone / amount formats)
  and the rules for its fields; the one canonical output is a JSON object (a list for two records)
  derived deterministically from the prompt's values.
* data_transformation: CSV -> JSON, JSON -> CSV, nested JSON -> flat dotted keys, temperature and
  date-format conversions, each with one canonical output.
* table_qa: a small markdown table and a lookup / sum / max / min / count / difference question,
  answered from the table's cells.
"""

from __future__ import annotations

import json
import re
import unicodedata
from fractions import Fraction

from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
CITIES = ("Springfield", "Riverton", "Lakewood", "Fairview", "Greenville", "Kingston", "Ashford", "Milton",
          "Oakdale", "Brookfield", "Clayton", "Marlow", "New Haven", "Port Ellis", "West Linton", "Stony Creek")
DEPARTMENTS = ("Sales", "Marketing", "Finance", "Support", "Engineering", "Legal", "Operations")
EMAIL_DOMAINS = ("example.com", "mail.example.org", "example.net", "inbox.example.com", "corp.example")


def ascii_lower(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def title_words(text: str) -> str:
    """The canonical name form: words split on whitespace, each capitalised, single spaces."""
    return " ".join(w.capitalize() for w in text.split())


def _clean_word_name(ctx: GenContext, draw, fallback: tuple[str, ...]) -> str:
    for _ in range(10):
        value = draw()
        # the canonical form must be recoverable from any casing of the value (rules out e.g. "ß")
        if all(w.isalpha() and w == w.capitalize() == w.upper().capitalize() for w in value.split()):
            return value
    return ctx.choice(fallback)


def _person(ctx: GenContext) -> tuple[str, str]:
    first = _clean_word_name(ctx, ctx.fake.first_name, ("Anna", "Tom", "Lena", "Omar", "Ines"))
    last = _clean_word_name(ctx, ctx.fake.last_name, ("Berg", "Lopez", "Novak", "Hale", "Moreau"))
    return first, last


def round_half_up(x: Fraction, places: int) -> Fraction:
    scale = 10 ** places
    y = abs(x) * scale
    n = y.numerator // y.denominator
    if y - n >= Fraction(1, 2):
        n += 1
    return Fraction(n if x >= 0 else -n, scale)


def fixed(x: Fraction, places: int) -> str:
    """Exact fixed-point text of ``x`` rounded half-up to ``places`` decimals."""
    r = round_half_up(x, places)
    sign = "-" if r < 0 else ""
    r = abs(r)
    whole = r.numerator // r.denominator
    frac = r - whole
    if places == 0:
        return f"{sign}{whole}"
    digits = (frac * 10 ** places).numerator // (frac * 10 ** places).denominator
    return f"{sign}{whole}.{digits:0{places}d}"


# -- data_cleaning --------------------------------------------------------------------------------

FIELD_ORDER = ("name", "email", "phone", "date", "city", "amount")
RULES = {
    "name": "names in Title Case with single spaces",
    "email": "emails lower-case",
    "phone": "phones as +1 followed by 10 digits",
    "date": "dates as YYYY-MM-DD (a/b/YYYY is month/day/year, a.b.YYYY is day.month.year)",
    "city": "cities in Title Case with single spaces",
    "amount": "amounts as plain numbers with 2 decimals (no symbols or separators)",
}


def _messy_case(ctx: GenContext, text: str) -> str:
    style = ctx.randint(0, 3)
    if style == 0:
        return text.upper()
    if style == 1:
        return text.lower()
    if style == 2:
        return "".join(c.upper() if ctx.rng.random() < 0.4 else c.lower() for c in text)
    return text


def _pad(ctx: GenContext, text: str) -> str:
    left, right = " " * ctx.randint(0, 2), " " * ctx.randint(0, 2)
    if " " in text and ctx.rng.random() < 0.4:
        text = text.replace(" ", "  ", 1)
    return left + text + right


def _money_text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _with_commas(cents: int) -> str:
    return f"{cents // 100:,}.{cents % 100:02d}"


def _messy_field(ctx: GenContext, field: str, person: tuple[str, str]) -> tuple[str, str]:
    """(messy input text, canonical value)."""
    if field == "name":
        clean = f"{person[0]} {person[1]}"
        return _pad(ctx, _messy_case(ctx, clean)), clean
    if field == "email":
        first, last = (re.sub(r"[^a-z]", "", ascii_lower(p)) for p in person)
        local = (first + ctx.choice((".", "_", "")) + last).strip("._") or "user"
        if ctx.rng.random() < 0.4:
            local += str(ctx.randint(1, 99))
        clean = f"{local}@{ctx.choice(EMAIL_DOMAINS)}"
        messy = "".join(c.upper() if ctx.rng.random() < 0.3 else c for c in clean)
        return _pad(ctx, messy), clean
    if field == "phone":
        area, exch, line = ctx.randint(201, 989), ctx.randint(200, 999), ctx.randint(0, 9999)
        fmt = ctx.choice(("({a}) {e}-{l}", "{a}.{e}.{l}", "{a}-{e}-{l}", "{a} {e} {l}", "+1 {a} {e} {l}",
                          "1-{a}-{e}-{l}", "{a}{e}{l}"))
        return _pad(ctx, fmt.format(a=area, e=exch, l=f"{line:04d}")), f"+1{area}{exch}{line:04d}"
    if field == "date":
        y, m, d = ctx.randint(1950, 2024), ctx.randint(1, 12), ctx.randint(1, 28)
        fmt = ctx.randint(0, 4)
        messy = (f"{m:02d}/{d:02d}/{y}", f"{d}.{m}.{y}", f"{y}/{m:02d}/{d:02d}", f"{MONTHS[m - 1]} {d}, {y}",
                 f"{d} {MONTHS[m - 1][:3]} {y}")[fmt]
        return _pad(ctx, messy), f"{y:04d}-{m:02d}-{d:02d}"
    if field == "city":
        clean = _clean_word_name(ctx, ctx.fake.city, CITIES)
        return _pad(ctx, _messy_case(ctx, clean)), clean
    cents = ctx.randint(100, 999999)
    fmt = ctx.randint(0, 4)
    messy = (f"${_with_commas(cents)}", _money_text(cents).rstrip("0").rstrip(".") or "0",
             f"USD {_with_commas(cents)}", f"{_with_commas(cents)} $", _money_text(cents))[fmt]
    return _pad(ctx, messy), _money_text(cents)


def _show_record(style: int, rec: dict[str, str]) -> str:
    if style == 0:
        return json.dumps(rec, ensure_ascii=False)
    if style == 1:
        return "\n".join(f"{k}: '{v}'" for k, v in rec.items())
    if style == 2:
        return "; ".join(f'{k}="{v}"' for k, v in rec.items())
    return " | ".join(f"{k} = [{v}]" for k, v in rec.items())


class DataCleaningGenerator(Generator):
    name = "data_cleaning"
    task_type = "generation"
    phrasings = 4

    INTROS = (
        "Clean this record and return canonical JSON.\nRules: {rules}.\n{data}",
        "Normalise the fields below ({rules}). Output JSON only.\n{data}",
        "Data cleaning task. {rules}; trim all spaces.\nInput:\n{data}\nCanonical JSON:",
        "Standardise:\n{data}\nApply: trim; {rules}. Reply with JSON.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        n_fields = ctx.level(3, ctx.randint(4, 5), ctx.randint(4, 5))
        n_records = ctx.level(1, 1, 2)
        fields = ["name"] + ctx.sample(FIELD_ORDER[1:], n_fields - 1)
        fields = [f for f in FIELD_ORDER if f in fields]
        style = ctx.randint(0, len(self.INTROS) - 1)
        messy_records, clean_records = [], []
        for _ in range(n_records):
            person = _person(ctx)
            messy, clean = {}, {}
            for f in fields:
                messy[f], clean[f] = _messy_field(ctx, f, person)
            messy_records.append(messy)
            clean_records.append(clean)
        if n_records == 1:
            data = _show_record(style, messy_records[0])
            out = json.dumps(clean_records[0], ensure_ascii=False)
        else:
            data = "\n".join(f"Record {i + 1}: " + _show_record(style if style != 1 else 2, r)
                             for i, r in enumerate(messy_records))
            out = json.dumps(clean_records, ensure_ascii=False)
        rules = "; ".join(RULES[f] for f in fields)
        prompt = self.INTROS[style].format(rules=rules, data=data)
        return TrainingExample(prompt=prompt, response=out,
                               metadata={"reference": out, "fields": fields, "records": n_records, "phrasing": style})


# -- data_transformation --------------------------------------------------------------------------

def _rows(ctx: GenContext, n: int, cols: list[str]) -> list[dict[str, object]]:
    rows = []
    for i in range(n):
        row: dict[str, object] = {}
        for c in cols:
            if c == "id":
                row[c] = 100 + i * ctx.randint(1, 9) + ctx.randint(0, 50)
            elif c == "name":
                row[c] = _clean_word_name(ctx, ctx.fake.first_name, ("Anna", "Tom", "Lena", "Omar"))
            elif c == "city":
                row[c] = ctx.choice(CITIES)
            elif c == "dept":
                row[c] = ctx.choice(DEPARTMENTS)
            elif c == "age":
                row[c] = ctx.randint(18, 80)
            else:  # qty
                row[c] = ctx.randint(0, 500)
        rows.append(row)
    return rows


def _csv(rows: list[dict[str, object]]) -> str:
    cols = list(rows[0])
    return "\n".join([",".join(cols)] + [",".join(str(r[c]) for c in cols) for r in rows])


def flatten(obj: dict[str, object], prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


class DataTransformationGenerator(Generator):
    name = "data_transformation"
    task_type = "generation"
    phrasings = 4

    INSTRUCTIONS = {
        "csv_to_json": (
            "Convert this CSV to a JSON array of objects (numbers as numbers).\n{data}",
            "CSV:\n{data}\nOutput the rows as JSON (keys from the header, integers unquoted).",
            "Transform to JSON list:\n{data}",
            "Turn the following CSV into JSON records; keep column order, numeric cells as numbers.\n{data}",
        ),
        "json_to_csv": (
            "Convert this JSON to CSV with a header row.\n{data}",
            "JSON:\n{data}\nWrite it as CSV (header first, comma-separated, keys in order).",
            "Transform to CSV:\n{data}",
            "Export these records as CSV, one line per record after the header.\n{data}",
        ),
        "flatten": (
            "Flatten this JSON into one object with dotted keys.\n{data}",
            "Nested JSON:\n{data}\nReturn a flat JSON object (keys joined with '.').",
            "Flatten (dot notation): {data}",
            "Rewrite without nesting, using path.keys as names:\n{data}",
        ),
        "temps": (
            "Convert these Celsius temperatures to Fahrenheit (F = C x 9/5 + 32), one decimal, comma-separated: {data}",
            "Celsius: {data}\nFahrenheit (1 decimal each, same order, comma-separated):",
            "C to F, 1 decimal, keep order: {data}",
            "Temperatures in C: {data}. List them in F with one decimal place, separated by commas.",
        ),
        "dates": (
            "Rewrite these DD/MM/YYYY dates as YYYY-MM-DD, comma-separated: {data}",
            "Dates (day/month/year): {data}\nISO format (YYYY-MM-DD), same order:",
            "DD/MM/YYYY -> YYYY-MM-DD: {data}",
            "Convert to ISO 8601 dates, keeping the order (input is day/month/year): {data}",
        ),
    }

    def example(self, ctx: GenContext) -> TrainingExample:
        kind = ctx.choice(sorted(self.INSTRUCTIONS))
        k = ctx.randint(0, 3)
        n = ctx.level(2, 3, 4)
        if kind in ("csv_to_json", "json_to_csv"):
            pool = ["id", "name", "city", "dept", "age", "qty"]
            cols = ctx.sample(pool, ctx.level(2, 3, 4))
            cols = [c for c in pool if c in cols]
            rows = _rows(ctx, n, cols)
            if kind == "csv_to_json":
                data, out = _csv(rows), json.dumps(rows, ensure_ascii=False)
            else:
                data, out = json.dumps(rows, ensure_ascii=False), _csv(rows)
        elif kind == "flatten":
            first, last = _person(ctx)
            obj: dict[str, object] = {"id": ctx.randint(1, 9999),
                                      "user": {"name": f"{first} {last}", "age": ctx.randint(18, 80)}}
            if ctx.difficulty != "easy":
                obj["user"]["address"] = {"city": ctx.choice(CITIES), "zip": f"{ctx.randint(10000, 99999)}"}  # type: ignore[index]
            if ctx.difficulty == "hard":
                obj["meta"] = {"active": ctx.choice((True, False)), "tier": ctx.choice(("gold", "silver", "basic"))}
            data, out = json.dumps(obj, ensure_ascii=False), json.dumps(flatten(obj), ensure_ascii=False)
        elif kind == "temps":
            temps = [Fraction(ctx.randint(-400, 450), 10) if ctx.rng.random() < 0.5 else Fraction(ctx.randint(-40, 45))
                     for _ in range(n + 1)]
            data = ", ".join(_plain(t) for t in temps)
            out = ", ".join(fixed(t * Fraction(9, 5) + 32, 1) for t in temps)
        else:
            dates = [(ctx.randint(1970, 2030), ctx.randint(1, 12), ctx.randint(1, 28)) for _ in range(n + 1)]
            data = ", ".join(f"{d:02d}/{m:02d}/{y}" for y, m, d in dates)
            out = ", ".join(f"{y}-{m:02d}-{d:02d}" for y, m, d in dates)
        prompt = self.INSTRUCTIONS[kind][k].format(data=data)
        return TrainingExample(prompt=prompt, response=out,
                               metadata={"reference": out, "kind": kind, "phrasing": k})


def _plain(x: Fraction) -> str:
    """A temperature as written in the prompt: integer or one decimal."""
    return str(x.numerator) if x.denominator == 1 else fixed(x, 1)


# -- table_qa -------------------------------------------------------------------------------------

PRODUCT_ADJ = ("Compact", "Deluxe", "Classic", "Ultra", "Smart", "Eco", "Pro", "Mini", "Nordic", "Urban")
PRODUCT_NOUN = ("Kettle", "Lamp", "Backpack", "Blender", "Speaker", "Chair", "Router", "Toaster", "Monitor", "Heater")
CATEGORIES = ("Kitchen", "Office", "Outdoor", "Audio")
MASCOTS = ("Hawks", "Tigers", "Rovers", "Comets", "Wolves", "Falcons", "Otters", "Giants")

# table kind -> (entity word, key column, category column, numeric columns)
TABLES = {
    "staff": ("employee", "Name", "Department", ("Salary", "Years")),
    "products": ("product", "Product", "Category", ("Price", "Stock")),
    "teams": ("team", "Team", "Division", ("Wins", "Points")),
}


class TableQAGenerator(Generator):
    name = "table_qa"
    task_type = "reasoning"
    phrasings = 4

    FRAMES = (
        "{table}\n\nQuestion: {q}",
        "Use the table to answer.\n{table}\n{q}",
        "Q: {q}\nTable:\n{table}",
        "Here is some data:\n{table}\nAnswer the question from the table. {q}",
    )

    def _build(self, ctx: GenContext, kind: str, n: int) -> list[dict[str, object]]:
        _, key, cat, (num1, num2) = TABLES[kind]
        keys: list[str] = []
        while len(keys) < n:
            if kind == "staff":
                cand = " ".join(_person(ctx))
            elif kind == "products":
                cand = f"{ctx.choice(PRODUCT_ADJ)} {ctx.choice(PRODUCT_NOUN)}"
            else:
                cand = f"{ctx.choice(CITIES)} {ctx.choice(MASCOTS)}"
            if cand not in keys:
                keys.append(cand)
        if kind == "staff":
            cats, v1, v2 = DEPARTMENTS[:4], [x * 500 for x in ctx.sample(range(60, 240), n)], ctx.sample(range(1, 30), n)
        elif kind == "products":
            cats, v1, v2 = CATEGORIES, ctx.sample(range(5, 400), n), ctx.sample(range(0, 300), n)
        else:
            cats, v1, v2 = ("North", "South", "East"), ctx.sample(range(0, 40), n), ctx.sample(range(0, 120), n)
        return [{key: keys[i], cat: ctx.choice(cats), num1: v1[i], num2: v2[i]} for i in range(n)]

    def example(self, ctx: GenContext) -> TrainingExample:
        kind = ctx.choice(sorted(TABLES))
        entity, key, cat, nums = TABLES[kind]
        n = ctx.level(3, 5, 7)
        rows = self._build(ctx, kind, n)
        cols = [key, cat, *nums]
        table = "\n".join([f"| {' | '.join(cols)} |", "|" + "---|" * len(cols)]
                          + [f"| {' | '.join(str(r[c]) for c in cols)} |" for r in rows])
        qtype = ctx.choice(ctx.level(("lookup", "max", "min", "count"), ("lookup", "sum", "max", "min", "count", "diff"),
                                     ("sum_filter", "count_filter", "diff", "max_filter", "sum")))
        col = ctx.choice(nums)
        steps: list[str]
        if qtype == "lookup":
            r = ctx.choice(rows)
            q = ctx.choice((f"What is the {col.lower()} value for {r[key]}?", f"Look up the {col.lower()} of {r[key]}."))
            answer, steps = r[col], [f"Row {r[key]}: {col} = {r[col]}"]
        elif qtype in ("max", "min", "max_filter"):
            pool = rows
            where = ""
            if qtype == "max_filter":
                value = ctx.choice([r[cat] for r in rows])
                pool = [r for r in rows if r[cat] == value]
                where = f" in {cat.lower()} {value}"
            best = (max if qtype != "min" else min)(pool, key=lambda r: r[col])
            word = "highest" if qtype != "min" else "lowest"
            q = f"Which {entity}{where} has the {word} {col.lower()}?"
            answer = best[key]
            steps = [", ".join(f"{r[key]} {r[col]}" for r in pool), f"{word.capitalize()}: {best[key]} ({best[col]})"]
        elif qtype in ("sum", "sum_filter"):
            pool = rows
            where = ""
            if qtype == "sum_filter":
                value = ctx.choice([r[cat] for r in rows])
                pool = [r for r in rows if r[cat] == value]
                where = f" for {cat.lower()} {value}"
            total = sum(int(r[col]) for r in pool)  # type: ignore[call-overload]
            q = f"What is the total {col.lower()}{where}?"
            answer = total
            steps = [" + ".join(str(r[col]) for r in pool) + f" = {total}"]
        elif qtype in ("count", "count_filter"):
            values = sorted(int(r[col]) for r in rows)  # type: ignore[call-overload]
            threshold = values[ctx.randint(0, len(values) - 1)]
            pool = [r for r in rows if int(r[col]) > threshold]  # type: ignore[call-overload]
            where = ""
            if qtype == "count_filter":
                value = ctx.choice([r[cat] for r in rows])
                pool = [r for r in pool if r[cat] == value]
                where = f" in {cat.lower()} {value}"
            q = f"How many {entity}s{where} have {col.lower()} above {threshold}?"
            answer = len(pool)
            steps = [("Matching: " + ", ".join(str(r[key]) for r in pool)) if pool else "No rows match",
                     f"Count = {len(pool)}"]
        else:  # diff
            a, b = ctx.sample(rows, 2)
            q = f"What is {a[key]}'s {col.lower()} minus {b[key]}'s {col.lower()}?"
            answer = int(a[col]) - int(b[col])  # type: ignore[call-overload]
            steps = [f"{a[col]} - {b[col]} = {answer}"]
        k = ctx.randint(0, len(self.FRAMES) - 1)
        prompt = self.FRAMES[k].format(table=table, q=q)
        response = "\n".join(steps + [f"Answer: {answer}"])
        meta: dict[str, object] = {"answer": str(answer), "qtype": qtype, "column": col, "phrasing": k}
        if isinstance(answer, int):
            meta["numeric_answer"] = float(answer)
        return TrainingExample(prompt=prompt, response=response, metadata=meta)


data_cleaning = Specialist("data_cleaning", DataCleaningGenerator)
data_transformation = Specialist("data_transformation", DataTransformationGenerator)
table_qa = Specialist("table_qa", TableQAGenerator)
