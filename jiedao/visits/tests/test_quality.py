"""Visit quality (走过场 flags): each flag at its threshold, the reasons in Chinese and English, near-duplicates
that are not exact copies, and nothing flagged for a visit done properly. Pure functions: no database."""

from django.utils import translation

from jiedao.visits.assessment import quality
from jiedao.visits.assessment.quality import (
    CHECKIN_MAX_METRES,
    COPY_SIMILARITY,
    MAX_VISITS_PER_HOUR,
    SHORT_NOTE_CHARACTERS,
    FlagCode,
    quality_flags,
    similarity,
)

ROUTINE = "王阿姨在家，身体还好，燃气用电检查正常，女儿周末刚来看过她，没有需要帮忙的。"
OTHER = "张老伯不在家，电话联系说去医院配药了，约了下周二上午再来。"


def codes(**kwargs) -> list[str]:
    return [flag.code for flag in quality_flags(**kwargs)]


def test_a_visit_done_properly_has_no_flag():
    assert quality_flags(note=ROUTINE, same_worker_notes=[OTHER], other_household_notes=[OTHER],
                         distance_m=35.0, visits_in_hour=3) == []


def test_an_empty_note_is_flagged_and_nothing_else_about_its_text():
    assert codes(note="  。 ", same_worker_notes=["。"]) == [FlagCode.EMPTY]
    assert codes(note=None) == [FlagCode.EMPTY]


def test_a_short_note_is_flagged_below_the_threshold_counting_only_content():
    just_enough = "老" * SHORT_NOTE_CHARACTERS
    assert codes(note=just_enough) == []
    flags = quality_flags(note="，".join("老" * (SHORT_NOTE_CHARACTERS - 1)))  # punctuation does not count
    assert [f.code for f in flags] == [FlagCode.SHORT]
    assert flags[0].value == SHORT_NOTE_CHARACTERS - 1
    assert f"只有 {SHORT_NOTE_CHARACTERS - 1} 个字" in flags[0].reason


def test_a_note_copied_from_the_same_workers_earlier_note_with_small_edits_is_flagged():
    edited = ROUTINE.replace("王阿姨", "李阿姨").replace("周末", "昨天")
    assert edited != ROUTINE
    flags = quality_flags(note=edited, same_worker_notes=[OTHER, ROUTINE])
    assert [f.code for f in flags] == [FlagCode.COPIED_OWN]
    assert flags[0].value >= COPY_SIMILARITY
    assert "相似度" in flags[0].reason


def test_a_note_copied_from_another_households_note_is_flagged_apart_from_the_workers_own():
    assert codes(note=ROUTINE + "下次再来。", other_household_notes=[ROUTINE]) == [FlagCode.COPIED_OTHER]
    assert codes(note=ROUTINE, same_worker_notes=[ROUTINE], other_household_notes=[ROUTINE]) == [
        FlagCode.COPIED_OWN, FlagCode.COPIED_OTHER]


def test_two_routine_notes_in_different_words_are_not_copies():
    second = "李老伯和老伴都在家，两人身体可以，厨房燃气灶和插座看过没有问题，儿子每周回来。"
    assert similarity(ROUTINE, second) < COPY_SIMILARITY
    assert codes(note=second, same_worker_notes=[ROUTINE], other_household_notes=[ROUTINE]) == []


def test_the_copy_threshold_is_inclusive():
    a, b = ROUTINE, ROUTINE.replace("王阿姨", "李阿姨")
    score = similarity(a, b)
    assert codes(note=b, same_worker_notes=[a]) == [FlagCode.COPIED_OWN]
    original = quality.COPY_SIMILARITY
    try:
        quality.COPY_SIMILARITY = score
        assert codes(note=b, same_worker_notes=[a]) == [FlagCode.COPIED_OWN]
        quality.COPY_SIMILARITY = score + 0.001
        assert codes(note=b, same_worker_notes=[a]) == []
    finally:
        quality.COPY_SIMILARITY = original


def test_numbers_alone_do_not_make_a_copied_note_new():
    a = "3号楼302室，82岁，身体还好，燃气用电正常，女儿每周来。"
    b = "5号楼101室，79岁，身体还好，燃气用电正常，女儿每周来。"
    assert similarity(a, b) == 1.0


def test_a_check_in_farther_than_the_limit_from_the_building_is_flagged():
    assert codes(note=ROUTINE, distance_m=CHECKIN_MAX_METRES) == []
    flags = quality_flags(note=ROUTINE, distance_m=2034.4)
    assert [f.code for f in flags] == [FlagCode.FAR_CHECKIN]
    assert "2,034 米" in flags[0].reason and f"超过 {CHECKIN_MAX_METRES} 米" in flags[0].reason
    assert codes(note=ROUTINE, distance_m=None) == []  # no GPS: nothing to judge


def test_too_many_visits_in_an_hour_are_flagged_above_the_limit():
    assert codes(note=ROUTINE, visits_in_hour=MAX_VISITS_PER_HOUR) == []
    flags = quality_flags(note=ROUTINE, visits_in_hour=MAX_VISITS_PER_HOUR + 1)
    assert [f.code for f in flags] == [FlagCode.TOO_MANY_VISITS]
    assert f"一小时内签到 {MAX_VISITS_PER_HOUR + 1} 户" in flags[0].reason


def test_every_flag_together_in_order():
    assert codes(note="正常", same_worker_notes=["正常"], distance_m=500, visits_in_hour=12) == [
        FlagCode.SHORT, FlagCode.FAR_CHECKIN, FlagCode.TOO_MANY_VISITS]


def test_the_reasons_are_in_english_when_english_is_active():
    with translation.override("en"):
        flags = quality_flags(note="正常", same_worker_notes=[], distance_m=2034.4, visits_in_hour=9)
        copied = quality_flags(note=ROUTINE, same_worker_notes=[ROUTINE])
        labels = [str(code.label) for code in FlagCode]
    reasons = [f.reason for f in flags + copied]
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in reasons + labels), reasons + labels
