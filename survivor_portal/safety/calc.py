"""The calculator cover's arithmetic, for phones without JavaScript (app.js does the same
in the browser). Numbers and + - × ÷ only; no eval."""

from decimal import Decimal, DivisionByZero, InvalidOperation

OPERATORS = "+-×÷"
MAX_LENGTH = 40


def press(expression: str, key: str) -> tuple[str, str]:
    """The new expression after one key, and what the display shows."""
    expression = "".join(ch for ch in expression if ch.isdigit() or ch in OPERATORS + ".")[:MAX_LENGTH]
    if key == "C":
        return "", "0"
    if key == "=":
        result = evaluate(expression)
        return ("" if result == "Error" else result), result
    if key in OPERATORS:
        if not expression:
            return "", "0"
        expression = (expression[:-1] + key if expression[-1] in OPERATORS else expression + key)[:MAX_LENGTH]
    elif key.isdigit() or key == ".":
        expression = (expression + key)[:MAX_LENGTH]
    return expression, expression or "0"


def evaluate(expression: str) -> str:
    terms: list[Decimal] = []
    pending_op = "+"
    number = ""
    try:
        for ch in expression + "+":
            if ch.isdigit() or ch == ".":
                number += ch
                continue
            value = Decimal(number or "0")
            number = ""
            if pending_op == "+":
                terms.append(value)
            elif pending_op == "-":
                terms.append(-value)
            elif pending_op == "×":
                terms[-1] *= value
            elif pending_op == "÷":
                terms[-1] /= value
            pending_op = ch
        total = sum(terms, Decimal(0))
    except (InvalidOperation, DivisionByZero, IndexError):
        return "Error"
    text = f"{total.normalize():f}" if total == total.to_integral() else f"{total:.8f}".rstrip("0")
    return "Error" if len(text) > MAX_LENGTH else text
