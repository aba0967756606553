"""Figures drawn from _data/: described, sourced, and with their data as a table beneath."""

import yaml

from conftest import ROOT


def test_timeline_figure_has_alt_caption_sources_and_data_table(book):
    soup = book.page("newsletter/import-ai-375/gpt-2-five-years-on")
    figure = soup.select_one("figure#fig-gpt2-timeline")
    assert figure is not None
    assert len(figure.img["alt"].split()) > 30
    assert len(figure.figcaption.select("a[href]")) >= 8, "the caption cites fewer than the eight sources"
    rows = yaml.safe_load((ROOT / "_data" / "gpt2_timeline.yaml").read_text())["rows"]
    data = figure.find_next_sibling("details", class_="figure-data")
    assert data is not None and data.summary.get_text() == "Data"
    body = data.select("tbody tr")
    assert len(body) == len(rows)
    for tr, row in zip(body, rows):
        assert str(row["date"]) in tr.get_text()
        assert tr.select("td")[-1].select("a"), "row without a linked source: %s" % row


def test_training_cost_figure_has_its_data_table(book):
    soup = book.page("newsletter/import-ai-375/gpt-2-five-years-on")
    data = soup.select_one("figure#fig-gpt2-training-cost").find_next_sibling("details", class_="figure-data")
    points = yaml.safe_load((ROOT / "_data" / "gpt2_training_cost.yaml").read_text())
    assert len(data.select("tbody tr")) == len(points)
