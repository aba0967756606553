"""Figures drawn from _data/: described, sourced, and with their data as a table beneath."""

import pytest
import yaml

from conftest import ROOT

FIGURES = [  # page, figure id, data file, number of sources the caption cites at least
    ("newsletter/import-ai-375/gpt-2-five-years-on", "fig-gpt2-timeline", "gpt2_timeline.yaml", 8),
    ("newsletter/import-ai-375/gpt-2-five-years-on", "fig-gpt2-training-cost", "gpt2_training_cost.yaml", 4),
    ("newsletter/import-ai-375/coreweave-debt", "fig-coreweave-financing", "coreweave_financing.yaml", 4),
    ("newsletter/import-ai-375/decentralized-training", "fig-gpu-income", "gpu_income.yaml", 1),
    ("newsletter/import-ai-375/robocasa", "fig-robocasa-composition", "robocasa.yaml", 1),
]


@pytest.mark.parametrize("name, figure_id, data_file, sources", FIGURES)
def test_figure_has_alt_caption_sources_and_data_table(book, name, figure_id, data_file, sources):
    figure = book.page(name).select_one("figure#" + figure_id)
    assert figure is not None
    assert len(figure.img["alt"].split()) > 30, "the alt text should say what the figure shows"
    assert len(figure.figcaption.select("a[href]")) >= sources, (
        "the caption cites fewer sources than expected"
    )
    data = yaml.safe_load((ROOT / "_data" / data_file).read_text(encoding="utf-8"))
    rows = data["rows"] if isinstance(data, dict) else data
    block = figure.find_next_sibling("details", class_="figure-data")
    assert block is not None and block.summary.get_text() == "Data"
    body = block.select("tbody tr")
    assert len(body) == len(rows)
    for tr, row in zip(body, rows, strict=False):
        assert tr.select("td")[-1].select("a[href]"), "row without a linked source: %s" % row


def test_at_least_four_figures_are_drawn_from_data(book):
    figures = {
        img["src"].rsplit("/", 1)[-1]
        for name in book.pages()
        for img in book.page(name).select("figure img[src$='.svg']")
    }
    assert len(figures) >= 4, figures
