"""Click parameter type of the opportunities shell: decimals (never floats), refused clearly."""

from __future__ import annotations

import click


class DecimalType(click.ParamType):
    """A decimal number (money, percentages): never a float."""

    name = "decimal"

    def convert(self, value, param, ctx):
        from decimal import Decimal, InvalidOperation

        if value is None or isinstance(value, Decimal):
            return value
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(f"{value!r} is not a number", param, ctx)
        if not result.is_finite():
            self.fail(f"{value!r} is not a number", param, ctx)
        return result


DECIMAL = DecimalType()
