"""The calculator cover's arithmetic, for phones without JavaScript; app.js does exactly the same
in the browser (scaled whole numbers there, Decimal here). Numbers and + - × ÷ only; no eval.

It must pass for a phone's calculator: sums are exact decimals (0.1+0.2 is 0.3), a quotient is
rounded, long results are shortened to 12 significant digits, and after "=" a digit starts a
new number."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

OPERATORS = "+-×÷"
MAX_LENGTH = 40
QUOTIENT_PLACES = 40  # decimal places a quotient keeps before the final rounding
EXACT_DIGITS = 15  # a result with at most this many significant digits is shown as it is
SHORT_DIGITS = 12  # otherwise it is rounded to this many, as a phone's display would
ERROR = "Error"


def press(expression: str, key: str, fresh: bool = False) -> tuple[str, str, bool]:
    """After one key: the new expression, what the display shows, and whether the display holds
    a result (so that the next digit starts a new number)."""
    expression = "".join(ch for ch in expression if ch.isdigit() or ch in OPERATORS + ".")[:MAX_LENGTH]
    if key == "C":
        return "", "0", False
    if key == "=":
        result = evaluate(expression)
        # A result in exponent form cannot be typed on, so the next key starts afresh.
        return ("" if result == ERROR or "e" in result else result), result, True
    if key in OPERATORS:
        if not expression:
            return "", "0", False
        expression = (expression[:-1] + key if expression[-1] in OPERATORS else expression + key)[:MAX_LENGTH]
    elif key.isdigit() or key == ".":
        expression = (("" if fresh else expression) + key)[:MAX_LENGTH]
    return expression, expression or "0", False


def evaluate(expression: str) -> str:
    with localcontext() as context:
        context.prec = 200  # enough for any sum of 40 typed characters, so + - × are exact
        try:
            total = _total(expression)
        except (InvalidOperation, ZeroDivisionError, IndexError):
            return ERROR
        return show(total)


def _total(expression: str) -> Decimal:
    terms: list[Decimal] = []
    pending_op = "+"
    number = ""
    for ch in expression + "+":
        if ch.isdigit() or ch == ".":
            number += ch
            continue
        if number.count(".") > 1:
            raise InvalidOperation
        value = Decimal(number.rstrip(".") or "0")
        number = ""
        if pending_op == "+":
            terms.append(value)
        elif pending_op == "-":
            terms.append(-value)
        elif pending_op == "×":
            terms[-1] *= value
        elif pending_op == "÷":
            if value == 0:
                raise ZeroDivisionError
            terms[-1] = (terms[-1] / value).quantize(Decimal(1).scaleb(-QUOTIENT_PLACES), rounding=ROUND_HALF_UP)
        pending_op = ch
    return sum(terms, Decimal(0))


def show(total: Decimal) -> str:
    """Plain digits when they fit a phone's display; otherwise 12 significant digits, with an
    exponent (1.23456789012e15) for very large or very small numbers."""
    if total == 0:
        return "0"
    total = total.normalize()
    digits = len(total.as_tuple().digits)
    if digits > EXACT_DIGITS:
        exponent = total.adjusted()
        total = total.quantize(Decimal(1).scaleb(exponent - SHORT_DIGITS + 1), rounding=ROUND_HALF_UP).normalize()
    exponent = total.adjusted()
    if exponent >= EXACT_DIGITS or exponent < -(SHORT_DIGITS - 1):
        mantissa = total.scaleb(-exponent).normalize()
        return f"{mantissa:f}e{exponent}"
    return f"{total:f}"
