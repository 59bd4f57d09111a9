"""The reports take one input, the level switch (year, street, community) of reports/_level_form.html, read
from the query string with yushu_gov.lists.params.int_param like every other number there."""
