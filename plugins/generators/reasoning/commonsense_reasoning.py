"""commonsense_reasoning: everyday physical and social cause and effect.

From a curated table of true facts (ice melts when warm, glass breaks when dropped on stone, ...),
with Faker names and irrelevant details as distractors. Answers are short phrases.
"""

from __future__ import annotations


from simplex_training.data import TrainingExample
from simplex_training.generator import GenContext, Generator
from simplex_training.specialist import Specialist


# (situation, question, answer, reason). {n} is a Faker first name; {obj} picks from the option
# tuple (all options make the same fact true). Every entry states a plain, true everyday fact.
COMMONSENSE = (
    ("{n} left {obj} on the kitchen counter on a hot afternoon.", "What happened to it after a few hours?",
     "it melted", "Ice cream and chocolate melt when they are left in warm air.",
     ("a tub of ice cream", "a chocolate bar", "a bowl of ice cubes")),
    ("{n} put {obj} in the freezer overnight.", "What is the water like the next morning?",
     "frozen", "A freezer is below 0 °C, the temperature at which water freezes.",
     ("a glass of water", "a tray of water", "a plastic bottle of water")),
    ("{n} dropped {obj} onto a stone floor.", "What most likely happened to it?",
     "it broke", "Glass and porcelain are brittle and shatter on hard floors.",
     ("a glass vase", "a porcelain cup", "a wine glass")),
    ("{n} forgot to water {obj} for three weeks in midsummer.", "What state is the plant most likely in?",
     "wilted", "Plants wilt when they do not get enough water.",
     ("the potted basil", "the window-box flowers", "the tomato seedlings")),
    ("{n} left {obj} outside in the rain for many months.", "What most likely formed on it?",
     "rust", "Iron and steel rust when exposed to water and air.",
     ("a steel bicycle chain", "an old iron nail", "an unpainted iron bar")),
    ("{n} walked through heavy rain for twenty minutes without {obj}.", "What are {n}'s clothes like afterwards?",
     "wet", "Rain soaks clothes that are not protected.",
     ("an umbrella or raincoat", "a coat or umbrella", "any rain gear")),
    ("{n} added {obj} to a cup of hot tea and stirred.", "What happened to it?",
     "it dissolved", "Sugar dissolves in hot water when stirred.",
     ("a spoonful of sugar", "two sugar cubes", "a teaspoon of sugar")),
    ("{n} dropped {obj} into a pond.", "Did it float or sink?",
     "it sank", "A stone is much denser than water, so it sinks.",
     ("a heavy stone", "a small rock", "a granite pebble")),
    ("{n} dropped {obj} into a bucket of water.", "Did it float or sink?",
     "it floated", "Cork and dry wood are less dense than water, so they float.",
     ("a wine cork", "a dry wooden block", "a cork coaster")),
    ("{n} left {obj} on the table, uncovered, for two weeks.", "What is likely to grow on it?",
     "mold", "Mold grows on bread and fruit left out for a long time.",
     ("a slice of bread", "a loaf of bread", "a bread roll")),
    ("{n} needs to {obj}.", "Which tool should {n} use: scissors, a spoon or a pillow?",
     "scissors", "Scissors are made for cutting.",
     ("cut a sheet of paper in half", "cut a piece of ribbon", "trim a photo")),
    ("{n} has to find a box in a dark basement during a power cut.",
     "What would help most: {obj}?", "a flashlight", "A flashlight gives light without mains power.",
     ("a flashlight, a towel or a fork", "a towel, a flashlight or a fork", "a fork, a towel or a flashlight")),
    ("{n} wants to carry hot soup home from a friend's house.", "Which container is best: {obj}?",
     "a sealed jar", "A sealed jar holds liquid without spilling.",
     ("a paper bag, a sealed jar or a net", "a sealed jar, a net or a paper bag",
      "a net, a paper bag or a sealed jar")),
    ("{n} blew up {obj} and then poked it with a pin.", "What happened to it?",
     "it popped", "A pin punctures the stretched rubber and the balloon bursts.",
     ("a balloon", "a red balloon", "a party balloon")),
    ("{n} left {obj} out of the fridge for three days in summer.", "What is it like now?",
     "spoiled", "Milk spoils quickly when it is not kept cold.",
     ("a carton of milk", "a bottle of milk", "a jug of milk")),
    ("{n} hung {obj} on a line in the sun for a few hours.", "What is it like afterwards?",
     "dry", "Sun and air evaporate the water from wet laundry.",
     ("wet laundry", "a wet towel", "freshly washed shirts")),
    ("{n} heated {obj} on the stove at full power for a long time.", "What does the water start to do?",
     "boil", "Water boils when heated to 100 °C at sea level.",
     ("a pot of water", "a saucepan of water", "a kettle of water")),
    ("{n} went to bed at 3 am and had to get up at {obj}.", "How is {n} likely to feel in the morning?",
     "tired", "Three or four hours of sleep is not enough rest.",
     ("6 am", "7 am", "6:30 am")),
    ("{n} ran {obj} on a warm day without drinking anything.", "What is {n} likely to feel?",
     "thirsty", "Exercise in the heat makes the body lose water through sweat.",
     ("ten kilometres", "a half marathon", "eight kilometres")),
    ("{n} skipped {obj}.", "How is {n} likely to feel by the afternoon?",
     "hungry", "Going many hours without food makes people hungry.",
     ("breakfast and lunch", "both breakfast and lunch", "every meal since last night")),
    ("{n} sat in the strong sun {obj} without sunscreen.", "What is {n} likely to get?",
     "sunburn", "Long exposure to strong sunlight burns unprotected skin.",
     ("at the beach all day", "by the pool all afternoon", "on a boat for six hours")),
    ("{n} wants to drive a nail into a wooden plank.", "Which tool should {n} use: {obj}?",
     "a hammer", "A hammer is made for driving nails.",
     ("a hammer, a pillow or a sock", "a sock, a hammer or a pillow", "a pillow, a sock or a hammer")),
    ("{n} poured {obj} into a glass of water and waited.", "Where does the oil end up?",
     "on top", "Cooking oil is less dense than water and does not mix with it.",
     ("some olive oil", "a spoonful of sunflower oil", "some vegetable oil")),
    ("{n} let go of {obj} outdoors.", "Which way does it go?",
     "up", "Helium is lighter than air, so a helium balloon rises.",
     ("a helium balloon", "a helium-filled party balloon", "a shiny helium balloon")),
    ("{n} let go of {obj} while standing in the garden.", "Which way does it go?",
     "down", "Gravity pulls objects toward the ground.",
     ("an apple", "a tennis ball", "a set of keys")),
    ("{n} dropped {obj} into a cup of hot coffee.", "What happened to it?",
     "it melted", "Ice melts in a hot drink.",
     ("an ice cube", "two ice cubes", "a small ice cube")),
    ("{n} left the car headlights on all night with the engine off.", "Why might the car not start {obj}?",
     "a flat battery", "Headlights drain the battery when the engine is not charging it.",
     ("in the morning", "the next day", "at sunrise")),
    ("{n} mixed {obj} paint.", "What colour did {n} get?",
     "green", "Blue and yellow paint mix to green.",
     ("blue and yellow", "yellow and blue", "equal amounts of blue and yellow")),
    ("{n} mixed {obj} paint.", "What colour did {n} get?",
     "pink", "Red mixed with white gives pink.",
     ("red and white", "white and red", "a little red and a lot of white")),
    ("{n} wants to keep leftover soup fresh until tomorrow.", "Where should it go: {obj}?",
     "the fridge", "Cold slows the growth of bacteria in food.",
     ("the fridge, the oven or a sunny window", "a sunny window, the fridge or the oven",
      "the oven, a sunny window or the fridge")),
    ("{n} needs to cross a deep, wide river without getting wet.", "Which is best: {obj}?",
     "a boat", "A boat floats and carries people across water.",
     ("a boat, a towel or a ladder", "a ladder, a boat or a towel", "a towel, a ladder or a boat")),
    ("{n} baked cookies for {obj} instead of twelve minutes.", "What are the cookies like?",
     "burnt", "Food left in a hot oven far too long burns.",
     ("two hours", "an hour and a half", "three hours")),
    ("{n} wore {obj} on a long hike.", "What is {n} likely to get on their feet?",
     "blisters", "Tight shoes rub the skin and cause blisters.",
     ("new shoes a size too small", "brand-new tight boots", "shoes that were too small")),
    ("{n} left {obj} uncapped on the desk for a month.", "What are they like now?",
     "dried out", "Marker ink evaporates when the cap is off.",
     ("a set of felt-tip markers", "three whiteboard markers", "the highlighter pens")),
    ("{n} left {obj} out in the rain for an hour.", "What is the paper like afterwards?",
     "soggy", "Paper absorbs water and turns soft.",
     ("a stack of newspapers", "a pile of paper flyers", "a paper map")),
    ("{n} put a pan on the stove on high heat for ten minutes and then {obj}.",
     "How did the pan feel?", "hot", "A stove heats the metal of a pan.",
     ("touched its metal rim", "touched its metal side", "touched the metal edge")),
    ("{n} pressed the light switch, but {obj}.", "Did the room light up?",
     "no", "A lamp needs a working bulb to give light.",
     ("the only bulb in the room was burnt out", "the bulb had been removed", "the lamp had no bulb")),
    ("{n} shook {obj} hard and opened it at once.", "What happened when it was opened?",
     "it foamed over", "Shaking releases the gas in fizzy drinks, which then foams out.",
     ("a bottle of cola", "a can of soda", "a bottle of sparkling water")),
    ("{n} planted {obj} in spring and watered them every day.",
     "What is likely to appear within a few weeks?", "sprouts", "Watered seeds germinate and sprout.",
     ("bean seeds", "sunflower seeds", "pea seeds")),
    ("{n} walked on an icy pavement in {obj}.", "What might {n} do on the ice?",
     "slip", "Ice is slippery, especially under smooth soles.",
     ("smooth-soled shoes", "leather-soled shoes", "slippers")),
    ("{n} lit {obj} and let it burn all evening.", "What happened to the candle?",
     "it got shorter", "A burning candle consumes its wax.",
     ("a tall candle", "a new candle", "a wax candle")),
    ("{n} wants to eat soup.", "Which utensil should {n} use: {obj}?",
     "a spoon", "A spoon holds liquid; a fork or knife does not.",
     ("a spoon, a fork or a knife", "a knife, a spoon or a fork", "a fork, a knife or a spoon")),
)
CS_DISTRACTORS = (
    "It was a {day}.", "{m} was reading in the next room.", "The radio was playing quietly.",
    "{n} lives in {city}.", "A cat was asleep on the sofa.", "{m} called to chat about the weekend.",
    "{n} had just finished a phone call with {m}.", "The neighbours were out shopping.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class CommonsenseReasoningGenerator(Generator):
    name = "commonsense_reasoning"
    task_type = "reasoning"
    phrasings = 4

    TEMPLATES = (
        "{story}\nQuestion: {question}",
        "Use common sense. {story} {question}",
        "Situation: {story}\n{question} Answer briefly.",
        "{story} {question}\nGive a short answer.",
    )

    def example(self, ctx: GenContext) -> TrainingExample:
        idx = ctx.randint(0, len(COMMONSENSE) - 1)
        sit, question, answer, reason, objs = COMMONSENSE[idx]
        name = ctx.fake.first_name()
        other = ctx.fake.first_name()
        obj = ctx.choice(objs)
        story = [sit.format(n=name, obj=obj)]
        for d in ctx.sample(CS_DISTRACTORS, ctx.level(0, 1, 2)):
            story.insert(ctx.randint(0, len(story)),
                         d.format(day=ctx.choice(DAYS), m=other, n=name, city=ctx.fake.city()))
        k = ctx.randint(0, len(self.TEMPLATES) - 1)
        prompt = self.TEMPLATES[k].format(story=" ".join(story), question=question.format(n=name, obj=obj))
        return TrainingExample(
            prompt=prompt,
            response=f"{reason}\nAnswer: {answer}",
            metadata={"answer": answer, "phrasing": k, "fact": idx},
        )


commonsense_reasoning = Specialist("commonsense_reasoning", CommonsenseReasoningGenerator)
