"""A small, safe evaluator for the XLSForm expressions programmes write in `relevant` and
`constraint` (never `eval`): a tokenizer and a recursive-descent parser into a tree of frozen
nodes, checked when the questionnaire is loaded, then evaluated against the answers.

The subset: `${q}` (another question's answer), `.` (the current value, in constraints), string
('x', "x") and number literals, `=` `!=` `<` `<=` `>` `>=`, `and` `or`, parentheses, and the
functions `not(e)`, `selected(${q}, 'x')`, `count-selected(${q})`, `true()`, `false()`.
Anything else is an ExpressionError naming what and where.

Values follow XPath 1.0 closely enough for these forms: an unanswered question is the empty
string; `=`/`!=` compare as numbers when one side is a number, else as strings; `<` and the
other orderings compare as numbers (a date counts as its days since 1970-01-01, as in ODK);
an empty or non-numeric value is NaN, so every ordering with it is false.
"""
import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

MAX_LENGTH = 1000
MAX_DEPTH = 40
EPOCH = dt.date(1970, 1, 1)


class ExpressionError(ValueError):
    """An expression outside the supported subset, or malformed (with its position)."""


# --- tokens ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Token:
    kind: str   # NUMBER STRING REF DOT OP NAME LPAREN RPAREN COMMA END
    text: str
    pos: int


_TOKEN = re.compile(r"""
    (?P<SPACE>\s+)
  | (?P<NUMBER>-?(?:\d+(?:\.\d+)?|\.\d+))
  | (?P<STRING>'[^']*'|"[^"]*")
  | (?P<REF>\$\{[A-Za-z_][A-Za-z0-9_.-]*\})
  | (?P<OP>!=|<=|>=|=|<|>)
  | (?P<NAME>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<DOT>\.)
  | (?P<LPAREN>\()
  | (?P<RPAREN>\))
  | (?P<COMMA>,)
""", re.VERBOSE)


def tokenize(source: str) -> list[Token]:
    if not isinstance(source, str):
        raise ExpressionError("An expression must be text.")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"The expression is longer than {MAX_LENGTH} characters.")
    tokens, pos = [], 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            raise ExpressionError(f"Unexpected {source[pos]!r} at position {pos + 1}.")
        if match.lastgroup != "SPACE":
            tokens.append(Token(match.lastgroup, match.group(), pos))
        pos = match.end()
    tokens.append(Token("END", "", len(source)))
    return tokens


# --- the tree -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Literal:
    value: Any


@dataclass(frozen=True, slots=True)
class Ref:
    name: str


@dataclass(frozen=True, slots=True)
class Current:
    pass


@dataclass(frozen=True, slots=True)
class Compare:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True, slots=True)
class Logic:
    op: str   # "and" / "or"
    left: Any
    right: Any


@dataclass(frozen=True, slots=True)
class Not:
    operand: Any


@dataclass(frozen=True, slots=True)
class Selected:
    ref: Ref
    choice: Any


@dataclass(frozen=True, slots=True)
class CountSelected:
    ref: Ref


# --- the parser -----------------------------------------------------------------------------------
class _Parser:
    def __init__(self, source):
        self.tokens = tokenize(source)
        self.index = 0
        self.depth = 0

    @property
    def token(self):
        return self.tokens[self.index]

    def take(self, kind, text=None):
        token = self.token
        if token.kind != kind or (text is not None and token.text != text):
            wanted = text or kind.lower()
            found = token.text or "the end"
            raise ExpressionError(f"Expected {wanted!r} at position {token.pos + 1}, "
                                  f"found {found!r}.")
        self.index += 1
        return token

    def at(self, kind, text=None):
        return self.token.kind == kind and (text is None or self.token.text == text)

    def parse(self):
        node = self.logic("or")
        self.take("END")
        return node

    def logic(self, op):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("The expression is nested too deeply.")
        operand = self.logic_and if op == "or" else self.comparison
        node = operand()
        while self.at("NAME", op):
            self.index += 1
            node = Logic(op, node, operand())
        self.depth -= 1
        return node

    def logic_and(self):
        return self.logic("and")

    def comparison(self):
        node = self.primary()
        if self.at("OP"):
            op = self.take("OP").text
            node = Compare(op, node, self.primary())
            if self.at("OP"):
                raise ExpressionError(f"Chained comparison at position {self.token.pos + 1}: "
                                      "use 'and'.")
        return node

    def primary(self):
        token = self.token
        if token.kind == "NUMBER":
            self.index += 1
            return Literal(Decimal(token.text))
        if token.kind == "STRING":
            self.index += 1
            return Literal(token.text[1:-1])
        if token.kind == "REF":
            self.index += 1
            return Ref(token.text[2:-1])
        if token.kind == "DOT":
            self.index += 1
            return Current()
        if token.kind == "LPAREN":
            self.index += 1
            node = self.logic("or")
            self.take("RPAREN")
            return node
        if token.kind == "NAME" and token.text in _FUNCTIONS:
            self.index += 1
            self.take("LPAREN")
            node = _FUNCTIONS[token.text](self)
            self.take("RPAREN")
            return node
        found = token.text or "the end"
        raise ExpressionError(f"Unsupported {found!r} at position {token.pos + 1}.")

    def ref(self):
        return Ref(self.take("REF").text[2:-1])


def _not(parser):
    return Not(parser.logic("or"))


def _selected(parser):
    ref = parser.ref()
    parser.take("COMMA")
    return Selected(ref, parser.primary())


_FUNCTIONS = {
    "not": _not,
    "selected": _selected,
    "count-selected": lambda parser: CountSelected(parser.ref()),
    "true": lambda parser: Literal(True),
    "false": lambda parser: Literal(False),
}


# --- evaluation -----------------------------------------------------------------------------------
def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, set, frozenset)):
        return " ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


def _number(value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, dt.date):
        return float((value - EPOCH).days)
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    text = _text(value).strip()
    try:
        return float((dt.date.fromisoformat(text) - EPOCH).days)
    except ValueError:
        pass
    try:
        return float(Decimal(text))
    except ArithmeticError:
        return math.nan


def _truth(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)):
        return value == value and value != 0   # NaN is false
    if isinstance(value, (list, tuple, set, frozenset)):
        return bool(value)
    return _text(value) != ""


def _is_number(value):
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _equal(left, right) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return _truth(left) == _truth(right)
    if _is_number(left) or _is_number(right):
        return _number(left) == _number(right)
    return _text(left) == _text(right)


_ORDER = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
          ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def _selection(value) -> list[str]:
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_text(v) for v in value]
    return _text(value).split()


def _value(node, answers, current):
    match node:
        case Literal(value):
            return value
        case Ref(name):
            return answers.get(name)
        case Current():
            return current
        case Compare(op, left, right):
            a, b = _value(left, answers, current), _value(right, answers, current)
            if op == "=":
                return _equal(a, b)
            if op == "!=":
                return not _equal(a, b)
            return _ORDER[op](_number(a), _number(b))
        case Logic("and", left, right):
            return _truth(_value(left, answers, current)) and \
                _truth(_value(right, answers, current))
        case Logic("or", left, right):
            return _truth(_value(left, answers, current)) or \
                _truth(_value(right, answers, current))
        case Not(operand):
            return not _truth(_value(operand, answers, current))
        case Selected(ref, choice):
            return _text(_value(choice, answers, current)) in _selection(answers.get(ref.name))
        case CountSelected(ref):
            return Decimal(len(_selection(answers.get(ref.name))))
    raise ExpressionError(f"Cannot evaluate {node!r}.")  # pragma: no cover - closed tree


def _references(node) -> frozenset[str]:
    match node:
        case Ref(name):
            return frozenset({name})
        case Compare(_, left, right) | Logic(_, left, right):
            return _references(left) | _references(right)
        case Not(operand):
            return _references(operand)
        case Selected(ref, choice):
            return _references(ref) | _references(choice)
        case CountSelected(ref):
            return _references(ref)
    return frozenset()


def _uses_current(node) -> bool:
    match node:
        case Current():
            return True
        case Compare(_, left, right) | Logic(_, left, right):
            return _uses_current(left) or _uses_current(right)
        case Not(operand):
            return _uses_current(operand)
        case Selected(_, choice):
            return _uses_current(choice)
    return False


@dataclass(frozen=True, slots=True)
class Expression:
    """A parsed expression: `evaluate(answers, current)` is its truth value."""

    source: str
    tree: Any

    @property
    def references(self) -> frozenset[str]:
        return _references(self.tree)

    @property
    def uses_current(self) -> bool:
        return _uses_current(self.tree)

    def evaluate(self, answers: dict, current=None) -> bool:
        return _truth(_value(self.tree, answers, current))


def parse(source: str) -> Expression:
    """The parsed expression, or ExpressionError (nothing outside the subset gets through)."""
    return Expression(source, _Parser(source).parse())
