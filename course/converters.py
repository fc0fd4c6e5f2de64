"""URL converters: the app's `int` takes only numbers the database can look up."""

from werkzeug.routing import IntegerConverter

# The largest INTEGER PostgreSQL holds (SQLite's reach 2^63 - 1): every id and number in a
# URL is looked up in such a column.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """An `<int:...>` in a route matches 1 to 2^31 - 1 unless it says otherwise, so a larger
    number is a 404 rather than a database error."""

    def __init__(self, url_map, **options):
        options.setdefault("min", 1)
        options.setdefault("max", MAX_ID)
        super().__init__(url_map, **options)
