"""OCR engines: registry, text repairs, and each engine reading a rendered line."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from gazette.exceptions import BadInputError, MissingDependencyError
from ingest.ocr import EngineOptions, OcrEngine, OcrLine, create_engine, engine_names, parse_engine_spec, register
from ingest.ocr.paddle import model_dirs
from ingest.ocr.textfix import fix_line

FONT = "/usr/share/fonts/truetype/arphic/uming.ttc"


def rendered(text: str, size: int = 64) -> np.ndarray:
    image = Image.new("L", (size * (len(text) + 4), size * 3), 255)
    ImageDraw.Draw(image).text((size * 2, size), text, font=ImageFont.truetype(FONT, size), fill=0)
    return np.asarray(image)


def test_registry_names_builtin_engines_and_refuses_unknown() -> None:
    assert {"rapidocr", "tesseract", "paddle", "null"} <= set(engine_names())
    with pytest.raises(BadInputError, match="unknown OCR engine 'nope'"):
        create_engine("nope")


def test_outside_engines_register_like_builtin_ones() -> None:
    class Fixed(OcrEngine):
        name = "fixed"

        def version(self) -> str:
            return "1"

        def recognise(self, image: np.ndarray) -> list[OcrLine]:
            return [OcrLine("文", (0, 0, 1, 1), 1.0)]

    register("fixed-test")(lambda options: Fixed())
    assert create_engine("fixed-test").recognise(np.zeros((2, 2), np.uint8))[0].text == "文"


def test_null_engine_reads_nothing() -> None:
    assert create_engine("null").recognise(rendered("国务院")) == []


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("各县(市、区)人民政府:", "各县（市、区）人民政府："),
        ("见附件,共1,000元;10:30开会", "见附件，共1,000元；10:30开会"),
        ("二○○六年十月十五日", "二〇〇六年十月十五日"),
        ("二O一六年", "二〇一六年"),
        ("二(〇四年十月十五日", "二〇〇四年十月十五日"),
        ("（二〇〇四年）", "（二〇〇四年）"),
        ("2000年1月", "2000年1月"),
        ("国发〔2019]3号", "国发〔2019〕3号"),
        ("（教外际〔2004]", "（教外际〔2004〕"),
        ("国发[2013]3号", "国发[2013]3号"),  # printed square on both sides: the printed form stays
        ("阳光政 务建设", "阳光政务建设"),
        ("-2一", "— 2 —"),
        ("Hello, world (1)", "Hello, world (1)"),  # no Han: not Chinese context
    ],
)
def test_fix_line_in_chinese_context(raw: str, fixed: str) -> None:
    assert fix_line(raw)[0] == fixed


def test_fix_line_keeps_low_confidence_marks_on_their_characters() -> None:
    text, marks = fix_line("阳光 政务(一)", (3, 5))
    assert text == "阳光政务（一）"
    assert [text[i] for i in marks] == ["政", "（"]


RUNTIMES = pytest.mark.parametrize("runtime", ["openvino", "onnxruntime"])


def rapid(runtime: str) -> OcrEngine:
    return create_engine("rapidocr", EngineOptions(extra=(("runtime", runtime),)))


@RUNTIMES
def test_rapidocr_reads_a_line_with_boxes_and_confidence(runtime: str) -> None:
    lines = rapid(runtime).recognise(rendered("国务院办公厅关于印发通知"))
    assert [line.text for line in lines] == ["国务院办公厅关于印发通知"]
    x0, y0, x1, y1 = lines[0].box
    assert 100 <= x0 < x1 and 40 <= y0 < y1 and lines[0].confidence > 0.9


@RUNTIMES
def test_rapidocr_reads_repeated_zeros(runtime: str) -> None:
    # CTC merges a repeated character; the engine must read 〇〇 as two.
    lines = rapid(runtime).recognise(rendered("二〇〇四年四月十七日"))
    assert fix_line(lines[0].text)[0] == "二〇〇四年四月十七日"


@RUNTIMES
def test_rapidocr_reads_crops_without_detection(runtime: str) -> None:
    # Re-reads of boxes that are already lines skip detection; each crop is one line.
    engine = rapid(runtime)
    crops = [rendered("国务院办公厅")[40:150], rendered("二〇〇四年四月十七日")[40:150]]
    lines = engine.read_crops(crops)
    assert [fix_line(line.text)[0] for line in lines] == ["国务院办公厅", "二〇〇四年四月十七日"]
    assert lines[0].box == (0.0, 0.0, float(crops[0].shape[1]), float(crops[0].shape[0]))


def test_rapidocr_names_its_runtime_and_refuses_an_unknown_one() -> None:
    assert " on onnxruntime " in rapid("onnxruntime").version()
    assert " on openvino " in create_engine("rapidocr").version()  # the default where installed
    with pytest.raises(BadInputError, match="unknown runtime 'cuda'"):
        rapid("cuda")


def test_recognition_width_bands_read_lines_of_every_length_alike() -> None:
    # Lines 2 to 45 characters long fall in different bands, each padded to its band;
    # the longest is wider than the widest compiled band and goes to the dynamic-width model.
    engine = rapid("openvino")
    texts = [
        "国务",
        "国务院办公厅关于印发",
        "国务院办公厅关于印发全国文明城市测评体系的通知国务院办公",
        "各省自治区直辖市人民政府国务院各部委各直属机构现将全国文明城市测评体系印发给你们请认真贯彻执行",
    ]
    crops = [rendered(text)[40:150] for text in texts]
    assert [line.text for line in engine.read_crops(crops)] == texts
    assert [line.text for line in engine.read_crops(crops)] == texts  # again, on the compiled bands


@pytest.mark.parametrize(
    ("spec", "parsed"),
    [
        ("rapidocr", ("rapidocr", ())),
        ("rapidocr:runtime=onnxruntime", ("rapidocr", (("runtime", "onnxruntime"),))),
        (
            "rapidocr: models=v4-mobile, runtime=openvino",
            ("rapidocr", (("models", "v4-mobile"), ("runtime", "openvino"))),
        ),
    ],
)
def test_engine_specs_name_the_engine_and_its_options(spec: str, parsed: tuple) -> None:
    assert parse_engine_spec(spec) == parsed


def test_an_engine_option_without_a_value_is_refused() -> None:
    with pytest.raises(BadInputError, match="'runtime' in 'rapidocr:runtime' is not KEY=VALUE"):
        parse_engine_spec("rapidocr:runtime")


def test_default_read_crops_joins_what_recognise_finds() -> None:
    class Fixed(OcrEngine):
        def version(self) -> str:
            return "1"

        def recognise(self, image: np.ndarray) -> list[OcrLine]:
            return [OcrLine("务院", (5, 0, 9, 1), 0.7, (1,)), OcrLine("国", (0, 0, 4, 1), 0.9)]

    (line,) = Fixed().read_crops([np.zeros((3, 10), np.uint8)])
    assert (line.text, line.box, line.confidence, line.low_confidence) == ("国务院", (0.0, 0.0, 10.0, 3.0), 0.7, (2,))


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr not installed")
def test_tesseract_reads_a_line() -> None:
    lines = create_engine("tesseract").recognise(rendered("国务院办公厅"))
    assert "".join(fix_line(line.text)[0] for line in lines) == "国务院办公厅"


def test_paddle_without_models_says_what_to_download(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("GAZETTE_PADDLE_MODELS", raising=False)
    with pytest.raises(MissingDependencyError, match="GAZETTE_PADDLE_MODELS"):
        model_dirs(EngineOptions())
    with pytest.raises(MissingDependencyError, match=r"PP-OCRv5_server_det is missing.*inference.yml"):
        model_dirs(EngineOptions(extra=(("models", str(tmp_path)),)))


def test_rapidocr_still_has_the_private_loaders_the_engine_calls() -> None:
    """ingest/ocr/rapid.py loads rapidocr's models itself (to compile recognition for fixed
    widths); a rapidocr release that renames these breaks the engine, so say so here first."""
    from rapidocr import RapidOCR

    for name in ("_load_rec_model", "_load_det_model"):
        assert callable(getattr(RapidOCR, name, None)), (
            f"rapidocr {RapidOCR.__module__} no longer has RapidOCR.{name}: ingest/ocr/rapid.py needs it; "
            "pin rapidocr to the release it was written for (pyproject.toml) or port the engine"
        )
