import pytest

from injuries import examples
from injuries.services import triaged_answers


@pytest.mark.parametrize("classification", sorted(examples.FORM_ANSWERS))
@pytest.mark.parametrize("side", ["left", "right", "both"])
def test_each_example_triages_as_its_name(classification, side):
    assert triaged_answers(examples.typed_answers(classification, side=side))["classification"] == classification
