"""Moodle's GIFT format, read and written the way Moodle's own importer reads it.

The rules, as Moodle's documentation and importer (question/format/gift) define them:
questions are blocks separated by blank lines; lines starting with // are comments;
`$CATEGORY: a/b` sets the category of the questions after it; `::name::` names a question;
`[html]`, `[markdown]`, `[plain]` or `[moodle]` at the start of a text gives its format;
the answers sit between the first `{` and the first `}` (an answer block inside the text
makes a "missing word" question, whose text gets `_____` in its place); `####` starts the
general feedback, `#` an answer's feedback; `\\` escapes `~ = # { } :` and itself, `\n`
is a line break. The type follows from the answers: none is a description, `{}` an essay,
`{#…}` numerical, any `~` multiple choice (with no `=`, several answers may be chosen,
weighted by `%50%`, `%-50%`), `=a -> b` matching, `{T}`/`{FALSE}` true/false, and the
rest short answer (several `=` answers, weighted, `*` as a wildcard).

parse() returns every question it could read and a Problem (with its line) for every
block it could not; write() gives back a text that parse() reads into the same questions.
"""

import re
from dataclasses import dataclass, field

from sobrio.imports.problems import Problem

QTYPES = ("multichoice", "truefalse", "shortanswer", "numerical", "match", "essay", "description")
FORMATS = ("moodle", "html", "plain", "markdown")
BLANK = "_____"  # where the answers stood in a missing-word question
# Escaped characters wait in the Unicode private use area while the block is cut up.
_ESCAPES = {c: chr(0xE000 + ord(c)) for c in ":#={}~"}
_BACKSLASH, _NEWLINE = chr(0xE000 + ord("\\")), chr(0xE000 + ord("\n"))
_RESTORE = {v: k for k, v in _ESCAPES.items()} | {_BACKSLASH: "\\", _NEWLINE: "\n"}
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d*)?)%")
_TRUE, _FALSE = {"T", "TRUE"}, {"F", "FALSE"}


@dataclass
class Question:
    qtype: str
    text: str
    name: str = ""
    text_format: str = "moodle"
    general_feedback: str = ""
    category: str = ""
    data: dict = field(default_factory=dict)
    line: int = 0

    def __eq__(self, other):  # what a round trip must keep (not the line it came from)
        keys = ("qtype", "text", "name", "text_format", "general_feedback", "category", "data")
        return all(getattr(self, k) == getattr(other, k) for k in keys)


class _Refused(Exception):
    pass


def _protect(text):
    text = text.replace("\\\\", _BACKSLASH).replace("\\n", _NEWLINE)
    for char, mark in _ESCAPES.items():
        text = text.replace("\\" + char, mark)
    return text


def _restore(text):
    for mark, char in _RESTORE.items():
        text = text.replace(mark, char)
    return text


def _with_format(text, default="moodle"):
    """(text, format) of a text that may start with [html], [markdown]…"""
    text = text.strip()
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end] in FORMATS:
            return _restore(text[end + 1 :]).strip(), text[1:end]
    return _restore(text).strip(), default


def _split_feedback(answer, fmt):
    text, _sep, feedback = answer.partition("#")
    return _with_format(text, fmt)[0], _with_format(feedback, fmt)[0]


def _weight(answer, default):
    found = _WEIGHT.match(answer)
    if not found:
        return default, answer
    return float(found[1]) / 100, answer[found.end() :]


def _pieces(body, mark):
    parts = [p.strip() for p in body.split(mark)]
    return parts[1:] if parts and not parts[0] else parts


def _number(text):
    value = text.strip().replace(",", ".")
    try:
        return float(value)
    except ValueError:
        raise _Refused(f"« {_restore(text).strip()} » n'est pas un nombre") from None


def _kind(body):
    if body == "":
        return "essay"
    if body.startswith("#"):
        return "numerical"
    if "~" in body:
        return "multichoice"
    if "=" in body and "->" in body:
        return "match"
    head = body.split("#", 1)[0].strip() if "#" in body[1:] else body
    return "truefalse" if head in _TRUE | _FALSE else "shortanswer"


def _answers(qtype, body, fmt):
    if qtype == "multichoice":
        answers = []
        for raw in _pieces(body.replace("=", "~="), "~"):
            if raw.startswith("="):
                fraction, raw = 1.0, raw[1:]
            else:
                fraction, raw = _weight(raw, 0.0)
            text, feedback = _split_feedback(raw, fmt)
            answers.append({"text": text, "fraction": fraction, "feedback": feedback})
        if len(answers) < 2:
            raise _Refused("une question à choix a deux réponses au moins")
        return {"single": "=" in body, "answers": answers}
    if qtype == "match":
        pairs = []
        for raw in _pieces(body, "="):
            left, arrow, right = raw.partition("->")
            if not arrow:
                raise _Refused(f"appariement sans « -> » : « {_restore(raw)} »")
            pairs.append({"left": _with_format(left, fmt)[0], "right": _restore(right).strip()})
        if len(pairs) < 2:
            raise _Refused("un appariement a deux paires au moins")
        return {"pairs": pairs}
    if qtype == "truefalse":
        answer, *feedback = body.split("#", 2)
        wrong = _with_format(feedback[0], fmt)[0] if feedback else ""
        right = _with_format(feedback[1], fmt)[0] if len(feedback) > 1 else ""
        return {
            "answer": answer.strip() in _TRUE,
            "feedback_wrong": wrong,
            "feedback_right": right,
        }
    if qtype == "shortanswer":
        answers = []
        for raw in _pieces(body, "="):
            fraction, raw = _weight(raw, 1.0)
            text, feedback = _split_feedback(raw, fmt)
            answers.append({"text": text, "fraction": fraction, "feedback": feedback})
        if not answers:
            raise _Refused("une question à réponse courte a une réponse au moins")
        return {"answers": answers}
    if qtype == "numerical":
        body, tilde, wrong = body[1:].partition("~")
        answers = []
        for raw in _pieces(body, "="):
            fraction, raw = _weight(raw, 1.0)
            text, feedback = _split_feedback(raw, fmt)
            if ".." in text[1:]:
                low, high = (_number(x) for x in text.split("..", 1))
                value, tolerance = (low + high) / 2, (high - low) / 2
            elif ":" in text[1:]:
                value, tolerance = (_number(x) for x in text.split(":", 1))
            else:
                value, tolerance = _number(text), 0.0
            answers.append(
                {"value": value, "tolerance": abs(tolerance), "fraction": fraction,
                 "feedback": feedback}
            )  # fmt: skip
        if not answers:
            raise _Refused("une question numérique a une réponse au moins")
        wrong_feedback = _split_feedback(wrong, fmt)[1] if tilde else ""
        return {"answers": answers, "wrong_feedback": wrong_feedback}
    return {}


def _question(lines, category):
    text = "\n".join(" " if line.strip().startswith("//") else line for line in lines).strip()
    if not text:
        return None
    text = _protect(text)
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end >= 0:
            name, text = _restore(text[2:end]).strip(), text[end + 2 :].strip()
        else:
            text = text[2:]
    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        qtype, body, question_text = "description", "", text
    elif start < 0 or finish < start:
        raise _Refused("accolades { } mal appariées")
    else:
        body = text[start + 1 : finish].strip()
        rest = text[finish + 1 :]
        # answers at the very end are taken out; anywhere else they leave a blank
        question_text = text[:start] + ("" if text.endswith("}") else BLANK) + rest
        qtype = None
    general = ""
    if "####" in body:
        cut = body.rfind("####")
        general, body = body[cut + 4 :], body[:cut].strip()
    question_text, fmt = _with_format(question_text)
    qtype = qtype or _kind(body)
    return Question(
        qtype=qtype,
        text=question_text,
        name=name,
        text_format=fmt,
        general_feedback=_with_format(general, fmt)[0],
        category=category,
        data=_answers(qtype, body, fmt),
    )


def _blocks(text):
    """(first line number, lines) of each block between blank lines."""
    block, first = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if first is None:
                first = number
            block.append(line)
        elif block:
            yield first, block
            block, first = [], None
    if block:
        yield first, block


def parse(text, filename=""):
    """(questions, problems) of a GIFT text; a block that cannot be read is a problem on
    its first line and the others are still read."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    questions, problems, category = [], [], ""
    for line, lines in _blocks(text):
        head = "\n".join(x for x in lines if not x.strip().startswith("//")).strip()
        if head.startswith("$CATEGORY:"):
            category = head[len("$CATEGORY:") :].strip()
            continue
        try:
            question = _question(lines, category)
        except _Refused as refused:
            problems.append(Problem(str(refused), file=filename, line=line))
            continue
        if question is not None:
            question.line = line
            questions.append(question)
    return questions, problems


def moodle_type_counts(questions):
    """Questions per Moodle type name (a missing-word question is a multichoice)."""
    counts = dict.fromkeys(QTYPES, 0)
    for q in questions:
        counts[q.qtype] += 1
    return counts


# --- writing -----------------------------------------------------------------------------


def _escape(text):
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def _text(text, fmt, default="moodle"):
    prefix = f"[{fmt}]" if text and fmt != default else ""
    return prefix + _escape(text)


def _number_text(value):
    return f"{value:.15g}"


def _weight_text(fraction):
    return f"%{fraction * 100:.10g}%"


def _feedback(text, fmt):
    return f"#{_text(text, fmt, fmt)}" if text else ""


def _body(q):
    fmt, d = q.text_format, q.data
    if q.qtype == "multichoice":
        lines = []
        for a in d["answers"]:
            if a["fraction"] == 1 and d["single"]:
                mark = "="
            elif a["fraction"] == 0:
                mark = "~"
            else:
                mark = "~" + _weight_text(a["fraction"])
            lines.append(f"\t{mark}{_text(a['text'], fmt, fmt)}{_feedback(a['feedback'], fmt)}")
        return "\n" + "\n".join(lines) + "\n"
    if q.qtype == "truefalse":
        out = "TRUE" if d["answer"] else "FALSE"
        if d["feedback_wrong"] or d["feedback_right"]:
            out += "#" + _text(d["feedback_wrong"], fmt, fmt)
        if d["feedback_right"]:
            out += "#" + _text(d["feedback_right"], fmt, fmt)
        return out
    if q.qtype == "shortanswer":
        lines = [
            f"\t={_weight_text(a['fraction'])}{_escape(a['text'])}{_feedback(a['feedback'], fmt)}"
            for a in d["answers"]
        ]
        return "\n" + "\n".join(lines) + "\n"
    if q.qtype == "numerical":
        lines = [
            f"\t={_weight_text(a['fraction'])}{_number_text(a['value'])}:"
            f"{_number_text(a['tolerance'])}{_feedback(a['feedback'], fmt)}"
            for a in d["answers"]
        ]
        if d.get("wrong_feedback"):
            lines.append(f"\t~#{_text(d['wrong_feedback'], fmt, fmt)}")
        return "#\n" + "\n".join(lines) + "\n"
    if q.qtype == "match":
        lines = [f"\t={_text(p['left'], fmt, fmt)} -> {_escape(p['right'])}" for p in d["pairs"]]
        return "\n" + "\n".join(lines) + "\n"
    return ""


def write(questions):
    """GIFT text of the questions, categories included, that parse() reads back alike."""
    out, category = [], ""
    for q in questions:
        if q.category != category:
            category = q.category
            out.append(f"$CATEGORY: {category}\n")
        name = f"::{_escape(q.name)}::" if q.name else ""
        if q.qtype == "description":
            out.append(f"{name}{_text(q.text, q.text_format)}\n")
            continue
        general = (
            f"####{_text(q.general_feedback, q.text_format, q.text_format)}"
            if q.general_feedback
            else ""
        )
        answers = "{" + _body(q) + general + "}"
        text = _text(q.text, q.text_format)
        blank = _escape(BLANK)
        if text.count(blank) == 1 and not text.endswith(blank):  # missing word: in place
            before, after = text.split(blank)
            out.append(f"{name}{before}{answers}{after}\n")
        else:
            out.append(f"{name}{text}{answers}\n")
    return "\n".join(out)
