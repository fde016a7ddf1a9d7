"""The entry serializers build their fields once per class (api/ledger_serializers.FieldsBuiltOnce):
each instance still gets fields of its own, the same fields DRF would have built."""

from rest_framework import serializers

from tasks_ledger.api.ledger_serializers import LedgerEntrySerializer, LedgerEntryUpdateSerializer


def test_each_instance_has_its_own_fields_the_same_as_drf_builds(db):
    for cls in (LedgerEntrySerializer, LedgerEntryUpdateSerializer):
        first, second = cls(), cls()
        assert set(first.fields) == set(second.fields)
        for name in first.fields:
            assert first.fields[name] is not second.fields[name], name
            assert first.fields[name].parent is first and second.fields[name].parent is second
        built = serializers.ModelSerializer.get_fields(cls())  # what DRF builds every time
        assert {k: repr(v) for k, v in first.fields.items()} == {
            k: repr(v) for k, v in built.items()
        }


def test_one_instances_errors_stay_its_own(db):
    wrong = LedgerEntryUpdateSerializer(data={"version": 0, "summary": "x" * 10})
    right = LedgerEntryUpdateSerializer(data={"version": 3, "summary": "完成"}, partial=True)
    assert not wrong.is_valid() and "version" in wrong.errors
    assert right.is_valid(), right.errors
    assert right.validated_data == {"version": 3, "summary": "完成"}
