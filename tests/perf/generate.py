"""Generate a large, realistic netjournal journal for benchmarks.

    python tests/perf/generate.py DIR [--contacts 1000] [--reflections 10000] [--seed 1]
                                      [--end YYYY-MM-DD] [--years 3] [--force]

Writes, in the on-disk format of docs/design.md ("The journal on disk: the contract"):

    DIR/netjournal.yaml
    DIR/contacts/<slug>.md
    DIR/reflections/<YYYY>/<YYYY-MM-DD>-<slug>.md

The output is byte-for-byte deterministic for a given ``--seed`` and ``--end``
(``--end`` defaults to today, so dates end near today).  File mtimes are set to
the entry's own date, as in a journal kept over the years, so that no file looks
"just written" to the index's racy-mtime check.

The phrase ``quarterly alumni mixer`` (PLANTED_PHRASE) is planted in exactly
``--planted`` reflections (20 by default); none of its words appear anywhere
else, so a search for it has exactly that many hits.

This module deliberately does not import netjournal: it writes the format, it does
not borrow the app's writer.  It is not a test (pytest does not collect tests/perf).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import os
import random
import re
import shutil
import sys
import time
from pathlib import Path

PLANTED_PHRASE = "quarterly alumni mixer"
KINDS = ("note", "meeting", "give", "thanks", "ask", "receive")
KIND_WEIGHTS = (30, 25, 15, 10, 8, 12)
STEP_KEYS = ("why", "offer", "connect", "trust", "deepen", "known")

# --------------------------------------------------------------------------- word lists

FIRST = """Aisha Daniel Elena Grace Jonas Kofi Marcus Nadia Owen Priya Rob Tomas Amara Ben Chloe
Dev Esme Farid Gita Hugo Ines Jamal Keiko Lars Maya Nico Olga Pablo Quinn Rosa Sven Tara Umar Vera
Wen Xavier Yara Zoe Aaron Bianca Carlos Dina Emil Fatima George Hana Ivan Julia Karim Lena Mateo
Nora Oscar Petra Rafael Sara Theo Ulla Victor Willa Yusuf Zainab Adele Bruno Clara Diego Eva Felix
Greta Hassan Ida Joel Kira Leo Mina Nils Omar Pia Ravi Sofia Tobias Anya Colm Leila Ngozi Sipho""".split()

LAST = """Bello Kowalczyk Marsh Adeyemi Lindqvist Mensah Feld Petrova Brightwater Raman Castellano
Herrera Okafor Nakamura Silva Jensen Novak Haddad Costa Fischer Moreau Rossi Ivanova Byrne Duarte
Eriksen Farouk Gallagher Hoffmann Iyer Jovanovic Kaplan Larsen Mbeki Nordin Oyelaran Park Quist
Reyes Santos Tanaka Uddin Varga Walsh Yilmaz Zhou Abbott Brandt Chen Dubois Ekwueme Fontaine Gupta
Holm Ibrahim Juarez Kovacs Lund Murphy Nguyen Olsen Patel Quinlan Ruiz Schmidt Torres Ueda Vogel
Weber Young Zimmer Achebe Bianchi Cruz Dalton Engel Flores Grant Hayes Ito Keller""".split()

ORG_A = """Northwind Harbourline Clearpath Brightline Meridian Bluefern Granite Lumen Copperleaf Tidewater
Redwood Silverline Oakridge Keystone Riverbend Summit Cobalt Evergreen Fairway Ironbridge Larkspur
Moorland Nimbus Orchard Pinecrest Quayside Saltmarsh Thistle Upland Westgate""".split()
ORG_B = """Learning Health Labs Partners Institute Studio Foundation Analytics Consulting Academy
Collective Systems Works Group Press University Ventures Media Trust Agency""".split()

ROLES = [
    "Director of executive education", "Head of learning and development", "Instructional designer",
    "Product manager", "Engineering manager", "Staff engineer", "Founder", "Programme lead",
    "Senior researcher", "Talent partner", "Head of people", "UX researcher", "Data scientist",
    "Course producer", "Learning experience designer", "Community manager", "Operations lead",
    "Editor", "Professor of organisational behaviour", "Coach", "Design lead", "Chief of staff",
    "Sales engineer", "Policy advisor", "Accessibility specialist", "Facilitator",
]

TAGS = """mentor peer teaching exec-ed design research hiring community writing product engineering
data accessibility coaching alumni-network conference funding policy health onboarding feedback
leadership career open-source podcast""".split()
TAGS = [t for t in TAGS if t != "alumni-network"] + ["former-colleague"]

TOPICS = [
    "the onboarding redesign", "their new leadership cohort", "hiring a second designer",
    "the accessibility audit", "moving into executive education", "the pilot feedback session",
    "pricing the workshop", "a conference talk proposal", "the research grant",
    "mentoring junior designers", "remote facilitation", "the course review",
    "building a portfolio", "their team reorganisation", "a book on adult learning",
    "measuring learning outcomes", "the podcast episode", "career changes after forty",
    "plain-language guidelines", "the community of practice", "a panel at Harbourline",
    "their product launch", "the annual offsite", "writing case studies", "negotiating a raise",
    "the spring cohort", "public speaking nerves", "the internal academy", "a side project",
    "the reading group", "data literacy training", "moving cities", "the leadership retreat",
    "their first management role", "coaching conversations", "the new curriculum",
    "volunteering at the meetup", "a grant application", "the customer education team",
    "running better retrospectives", "the simulation exercise", "their blog series",
]
GIFTS = [
    "my accessibility checklist", "the course-review template", "notes from the workshop",
    "an article on feedback culture", "a draft of the case study", "three candidate names",
    "my interview practice questions", "a list of facilitation exercises", "the slide deck",
    "a short written review", "a reading list on adult learning", "a recording of the talk",
    "the portfolio feedback", "a summary of the research", "two podcast recommendations",
]
REQUESTS = [
    "a reference letter", "an intro to their L&D lead", "feedback on my portfolio",
    "advice on pricing", "a quote for the proposal", "a warm intro to the hiring manager",
    "twenty minutes on my talk outline", "a look at my CV", "a recommendation on LinkedIn",
]
PLACES = [
    "the Northwind open workshop", "the design meetup", "a café near the station", "the conference",
    "their office", "the community breakfast", "a video call", "the book launch", "the offsite",
]
FEELINGS = [
    "generous", "direct", "curious", "tired but upbeat", "thoughtful", "sharp", "warm",
    "a little distracted", "energised", "candid", "patient", "funny", "careful with words",
]
ADVERBS = ["quietly", "clearly", "honestly", "briefly", "openly", "carefully", "warmly", "bluntly"]
FILES = [
    "feedback-form.md", "onboarding_v2.pdf", "review-checklist.xlsx", "git log --oneline",
    "make slides", "cohort-plan.docx", "alt_text_guide.md", "npm run build", "rubric.csv",
]

SENTENCES = [
    "{first} was {feeling} today and talked mostly about {topic}.",
    "We spent most of the time on {topic}, which is clearly on their mind.",
    "I offered {gift} and promised to send it by Friday.",
    "They mentioned that {org} is rethinking {topic} this year.",
    "What struck me was how {adverb} they describe their own mistakes.",
    "I told them what helped me most when I was stuck on {topic}.",
    "Next time I want to ask how {topic} turned out.",
    "I kept my word on {gift}, which matters more than the thing itself.",
    "They asked nothing of me, and I tried to do the same.",
    "It felt like more than small talk for the first time.",
    "I should write down my own goals more {adverb} before we meet again.",
    "They prefer a short email with one clear question over a meeting invite.",
    "We compared notes on {topic} and on {topic2}.",
    "I learned that they started out in {role_lower}, which explains a lot.",
    "There may be a way for me to help with {topic} using what I already have.",
    "The conversation drifted to {topic2}, and I mostly listened.",
    "They were open about what is not working at {org}.",
    "I need to follow up with {gift} while it is still useful to them.",
    "Dig the well before you are thirsty: this is exactly that kind of meeting.",
    "It is too early to ask for anything, and that is fine.",
    "I noticed I talked too much about myself; listen more next time.",
    "They would be a good person to introduce to someone working on {topic2}.",
    "We agreed to meet again after {topic} settles down.",
    "They remembered what I said about {topic2} last time, which surprised me.",
    "Small thing, but I sent a thank-you note the same evening.",
    "I am still not sure how best to help, so I asked them directly.",
    "Their advice on {topic2} was practical and {adverb} given.",
    "The best part was hearing how they think about {topic}.",
]
KIND_SENTENCES = {
    "give": ["I sent {gift} and kept it short.", "Giving first, asking for nothing: {gift} went out today."],
    "thanks": ["I thanked them for their help with {topic}.", "Told them which idea of theirs changed how I work."],
    "ask": ["I asked for {request}, and was careful to make it easy to say no.",
            "This is an ask: {request}. I hope the trust is there by now."],
    "receive": ["They sent me {gift} without my asking.", "I received {request} from them, unprompted."],
    "meeting": ["We met at {place} for about an hour.", "Met at {place}; it ran over and neither of us minded."],
    "note": ["Just a note to myself about {topic}.", "Thinking about where this relationship is going."],
}
LEADS = ["**What I learned about them:**", "**How I can help next:**", "**Do they know me better now?**",
         "**What did I give?**"]
LINK_SENTENCES = [
    "Reminded me of something [[{slug}]] said about {topic}.",
    "I should introduce them to [[{slug}]].",
    "They already know [[{slug}]] from a panel last year.",
    "Worth comparing with how [[{slug}]] handled {topic}.",
]
CODE_SENTENCES = [
    "I shared the `{file}` template afterwards.",
    "They showed me how they run `{file}` before every review.",
]
PLANTED_SENTENCES = [
    "We first met at the " + PLANTED_PHRASE + " and picked up the thread today.",
    "The " + PLANTED_PHRASE + " was crowded, but we found a quiet corner to talk.",
    "I want to invite them to the next " + PLANTED_PHRASE + ".",
]

TITLES = {
    "meeting": ["Coffee with {first} about {topic}", "Call with {first} on {topic}", "Lunch with {first} at {place}"],
    "give": ["Sent {first} {gift}", "Reviewed {first}'s plans for {topic}", "Introduced {first} to {other}"],
    "thanks": ["Thanked {first} for the help with {topic}", "Told {first} what helped me about {topic}"],
    "ask": ["Asked {first} for {request}"],
    "receive": ["{first} sent me {gift}", "{first} introduced me to {other}"],
    "note": ["Thinking about {topic}", "Notes on {topic}", "What I learned about {topic}"],
}

CONTACT_BODIES = [
    "Met at {place}. {feeling_cap}, and generous with their time.",
    "Works on {topic} at {org}. Prefers email to calls.",
    "Introduced by a former colleague. Interested in {topic}.",
    "{feeling_cap} and quick to share what they know about {topic}.",
]

_WORD_RE = re.compile(r"\S+")
_SAFE_SCALAR = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.;'()/&+-]*[A-Za-z0-9.)]$")
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when unambiguous, else double-quoted."""
    if _SAFE_SCALAR.match(text) and text.lower() not in _YAML_WORDS and ": " not in text and " #" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def slugify(text: str, max_length: int = 60) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rstrip("-")
    return slug or "entry"


def unique(stem: str, taken: set[str]) -> str:
    candidate, number = stem, 2
    while candidate in taken:
        candidate = f"{stem}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


# --------------------------------------------------------------------------- generation


class Generator:
    def __init__(self, root: Path, contacts: int, reflections: int, seed: int, end: dt.date,
                 years: float, planted: int) -> None:
        self.root = root
        self.n_contacts = contacts
        self.n_reflections = reflections
        self.rng = random.Random(seed)
        self.end = end
        self.span = max(int(365 * years), 1)
        self.start = end - dt.timedelta(days=self.span)
        self.planted = min(planted, reflections)
        self.contacts: list[dict] = []
        self.bytes = 0
        self.files = 0

    # helpers ---------------------------------------------------------------
    def day(self, lo: dt.date | None = None) -> dt.date:
        lo = lo or self.start
        room = (self.end - lo).days
        return lo + dt.timedelta(days=self.rng.randint(0, max(room, 0)))

    def write(self, path: Path, text: str, when: dt.date) -> None:
        data = text.encode("utf-8")
        with open(path, "wb") as handle:
            handle.write(data)
        # evening of the entry's day, plus a deterministic number of seconds
        stamp = dt.datetime(when.year, when.month, when.day, 18, 0, 0).timestamp() + self.rng.randint(0, 7199)
        ns = int(stamp) * 1_000_000_000
        os.utime(path, ns=(ns, ns))
        self.bytes += len(data)
        self.files += 1

    def fill(self, template: str, contact: dict, other: dict | None = None) -> str:
        rng = self.rng
        return template.format(
            first=contact["first"], org=contact["org"], role_lower=contact["role"].lower(),
            topic=rng.choice(TOPICS), topic2=rng.choice(TOPICS), gift=rng.choice(GIFTS),
            request=rng.choice(REQUESTS), place=rng.choice(PLACES), feeling=rng.choice(FEELINGS),
            feeling_cap=rng.choice(FEELINGS).capitalize(), adverb=rng.choice(ADVERBS),
            other=(other or contact)["name"], file=rng.choice(FILES),
            slug=(other or contact)["slug"],
        )

    # contacts --------------------------------------------------------------
    def make_contacts(self) -> None:
        rng = self.rng
        folder = self.root / "contacts"
        folder.mkdir(parents=True, exist_ok=True)
        taken: set[str] = set()
        for _ in range(self.n_contacts):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = f"{first} {last}"
            slug = unique(slugify(name), taken)
            org = f"{rng.choice(ORG_A)} {rng.choice(ORG_B)}"
            domain = slugify(org).replace("-", "")
            email = f"{first.lower()}.{last.lower()}{'' if slug == slugify(name) else slug.rsplit('-', 1)[-1]}@{domain}.example.org"
            # when the relationship started: more of them in the first half of the span
            since = self.start + dt.timedelta(days=int(self.span * (rng.random() ** 1.5) * 0.95))
            self.contacts.append({"name": name, "first": first, "slug": slug, "org": org,
                                  "role": rng.choice(ROLES), "email": email, "since": since})
        # a few contacts get most of the reflections (Zipf-like weights)
        order = list(range(len(self.contacts)))
        rng.shuffle(order)
        weights = [0.0] * len(self.contacts)
        for rank, index in enumerate(order):
            weights[index] = 1.0 / (rank + 1) ** 0.8
        self.cum_weights = list(itertools.accumulate(weights))

        for contact in self.contacts:
            self.write_contact(folder, contact)

    def write_contact(self, folder: Path, c: dict) -> None:
        rng = self.rng
        tags = rng.sample(TAGS, rng.choice((0, 1, 1, 2, 2, 2, 3)))
        why = f"Learn from how they approach {rng.choice(TOPICS)}"
        if rng.random() < 0.5:
            why += f"; they know a lot about {rng.choice(TOPICS)}"
        offer = f"{rng.choice(GIFTS).capitalize()}; honest feedback on {rng.choice(TOPICS)}"
        has_why = rng.random() < 0.9
        has_offer = has_why and rng.random() < 0.85
        depth = 0
        if has_why:
            depth = 1 + has_offer + sum(1 for _ in range(4) if rng.random() < 0.55)
            if not has_offer:
                depth = 1
        steps: list[str] = []
        last = c["since"]
        for i, key in enumerate(STEP_KEYS):
            if i < depth:
                last = self.day(last) if rng.random() < 0.5 else min(last + dt.timedelta(days=rng.randint(0, 60)), self.end)
                if i >= 2 and rng.random() < 0.1:
                    note = yaml_scalar(f"{rng.choice(KIND_SENTENCES['give'])[:-1]}".format(gift=rng.choice(GIFTS)))
                    steps.append(f"  {key}: {{date: {last.isoformat()}, note: {note}}}")
                else:
                    steps.append(f"  {key}: {last.isoformat()}")
            else:
                steps.append(f"  {key}: null")
        lines = [
            "---",
            f"name: {yaml_scalar(c['name'])}",
            f"org: {yaml_scalar(c['org'])}",
            f"role: {yaml_scalar(c['role'])}",
            f"email: {c['email']}",
            f"tags: [{', '.join(tags)}]",
            f"why: {yaml_scalar(why + '.') if has_why else 'null'}",
            f"offer: {yaml_scalar(offer + '.') if has_offer else 'null'}",
        ]
        if rng.random() < 0.4:
            lines.append(f"cadence: {rng.choice((7, 14, 21, 30, 45, 60, 90))}")
        lines.append("steps:")
        lines.extend(steps)
        lines.append("archived: false")
        lines.append("---")
        body = [self.fill(rng.choice(CONTACT_BODIES), c)]
        if rng.random() < 0.5:
            body.append("")
            body.extend(f"- {self.fill(s, c)}" for s in rng.sample(SENTENCES, rng.randint(1, 3)))
        if rng.random() < 0.2:
            body.append("")
            body.append(self.fill(rng.choice(LINK_SENTENCES), c, self.pick_contact()))
        c["depth"] = depth
        self.write(folder / f"{c['slug']}.md", "\n".join(lines + body) + "\n", last)

    def pick_contact(self) -> dict:
        x = self.rng.random() * self.cum_weights[-1]
        return self.contacts[min(bisect.bisect_left(self.cum_weights, x), len(self.contacts) - 1)]

    # reflections -----------------------------------------------------------
    def make_reflections(self) -> None:
        rng = self.rng
        base = self.root / "reflections"
        planted = set(rng.sample(range(self.n_reflections), self.planted))
        taken: set[str] = set()
        made_dirs: set[int] = set()
        for index in range(self.n_reflections):
            kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
            day = self.day()
            linked: list[dict] = []
            if self.contacts:
                count = rng.choices((0, 1, 2, 3), (4, 80, 13, 3))[0]
                for _ in range(count):
                    c = self.pick_contact()
                    if c not in linked:
                        linked.append(c)
            if not linked and kind != "note":
                kind = "note"
            who = linked[0] if linked else {"first": "them", "name": "someone", "slug": "", "org": "their team",
                                           "role": "Colleague"}
            other = self.pick_contact() if self.contacts else who
            title = self.fill(rng.choice(TITLES[kind]), who, other)
            title = title[0].upper() + title[1:]
            stem = unique(f"{day.isoformat()}-{slugify(title, 50)}", taken)
            if day.year not in made_dirs:
                (base / f"{day.year:04d}").mkdir(parents=True, exist_ok=True)
                made_dirs.add(day.year)
            lines = [
                "---",
                f"title: {yaml_scalar(title)}",
                f"date: {day.isoformat()}",
                f"contacts: [{', '.join(c['slug'] for c in linked)}]",
                f"kind: {kind}",
            ]
            if rng.random() < 0.15:
                lines.append(f"follow_up: {(day + dt.timedelta(days=rng.randint(7, 45))).isoformat()}")
            if rng.random() < 0.35:
                lines.append(f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 2)))}]")
            lines.append("---")
            body = self.body(kind, who, other, planted=index in planted)
            self.write(base / f"{day.year:04d}" / f"{stem}.md", "\n".join(lines) + "\n" + body, day)

    def body(self, kind: str, who: dict, other: dict, *, planted: bool) -> str:
        rng = self.rng
        target = rng.randint(80, 200)
        sentences = [self.fill(rng.choice(KIND_SENTENCES[kind]), who)]
        if planted:
            sentences.append(rng.choice(PLANTED_SENTENCES))
        if other["slug"] and rng.random() < 0.30:
            sentences.insert(rng.randint(0, len(sentences)), self.fill(rng.choice(LINK_SENTENCES), who, other))
        if rng.random() < 0.05:
            sentences.append(self.fill(rng.choice(CODE_SENTENCES), who))
        words = sum(len(_WORD_RE.findall(s)) for s in sentences)
        while words < target:
            sentence = self.fill(rng.choice(SENTENCES), who)
            sentences.insert(rng.randint(1, len(sentences)), sentence)
            words += len(_WORD_RE.findall(sentence))
        out: list[str] = []
        i = 0
        while i < len(sentences):
            take = rng.randint(2, 4)
            chunk = sentences[i : i + take]
            i += take
            style = rng.random()
            if style < 0.15 and len(chunk) > 1:
                out.append("\n".join(f"- {s}" for s in chunk))
            elif style < 0.35:
                out.append(_wrap(rng.choice(LEADS) + " " + " ".join(chunk)))
            else:
                out.append(_wrap(" ".join(chunk)))
        return "\n\n".join(out) + "\n"

    def run(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        config = (
            "# Generated by tests/perf/generate.py for benchmarks.\n"
            f"name: {yaml_scalar('Benchmark network')}\n"
            "cadence: 30\n"
        )
        (self.root / "netjournal.yaml").write_text(config, encoding="utf-8")
        self.make_contacts()
        self.make_reflections()


def _wrap(text: str, width: int = 78) -> str:
    """Hard-wrap prose at ``width``; the planted phrase is never split across lines."""
    glue = PLANTED_PHRASE.replace(" ", "\x00")
    text = text.replace(PLANTED_PHRASE, glue)
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "\n".join(lines).replace("\x00", " ")


def generate(root: Path | str, *, contacts: int = 1000, reflections: int = 10000, seed: int = 1,
             end: dt.date | None = None, years: float = 3.0, planted: int = 20,
             force: bool = False) -> dict:
    """Write the journal; returns a summary (files, bytes, seconds)."""
    root = Path(root)
    if (root / "contacts").exists() or (root / "reflections").exists():
        if not force:
            raise SystemExit(f"{root} already holds a journal; use --force to replace it")
        if not (root / "netjournal.yaml").is_file():
            raise SystemExit(f"{root} has contacts/ or reflections/ but no netjournal.yaml; not touching it")
        for name in ("contacts", "reflections", ".netjournal"):
            shutil.rmtree(root / name, ignore_errors=True)
    started = time.perf_counter()
    gen = Generator(root, contacts, reflections, seed, end or dt.date.today(), years, planted)
    gen.run()
    return {"dir": str(root), "files": gen.files + 1, "bytes": gen.bytes,
            "contacts": contacts, "reflections": reflections, "planted": gen.planted,
            "seconds": time.perf_counter() - started}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--reflections", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", type=dt.date.fromisoformat, default=None,
                        help="last possible entry date (default: today)")
    parser.add_argument("--years", type=float, default=3.0, help="span of dates (default 3)")
    parser.add_argument("--planted", type=int, default=20,
                        help=f"reflections containing '{PLANTED_PHRASE}' (default 20)")
    parser.add_argument("--force", action="store_true", help="replace an existing generated journal")
    args = parser.parse_args(argv)
    if args.contacts < 1 and args.reflections > 0:
        parser.error("reflections need at least one contact")
    summary = generate(args.dir, contacts=args.contacts, reflections=args.reflections, seed=args.seed,
                       end=args.end, years=args.years, planted=args.planted, force=args.force)
    print(f"wrote {summary['files']} files ({summary['bytes'] / 1e6:.1f} MB) to {summary['dir']} "
          f"in {summary['seconds']:.2f} s; '{PLANTED_PHRASE}' planted in {summary['planted']} reflections",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
