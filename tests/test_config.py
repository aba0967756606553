"""The workflows follow the project's rules beyond what actionlint and the JSON schemas
check: least permissions, actions pinned by commit, one run at a time."""

import re

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
USES = re.compile(r"^\s*(?:-\s*)?uses:\s*(\S+)(.*)$", re.M)


def test_there_are_checks_deploy_and_linkcheck_workflows():
    assert {p.stem for p in WORKFLOWS} >= {"checks", "deploy", "linkcheck"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_grants_no_permission_by_default_and_runs_once_at_a_time(workflow):
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert data.get("permissions") == {}, "%s: top-level 'permissions: {}' expected" % workflow.name
    assert data.get("concurrency", {}).get("group"), "%s: no concurrency group" % workflow.name
    for name, job in data["jobs"].items():
        assert "permissions" in job, "%s: job %s does not state its permissions" % (workflow.name, name)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_full_commit_with_its_version(workflow):
    text = workflow.read_text(encoding="utf-8")
    uses = USES.findall(text)
    assert uses, workflow.name
    for action, rest in uses:
        if action.startswith("./"):
            continue
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), "%s: %s is not pinned by commit" % (
            workflow.name,
            action,
        )
        assert re.search(r"#\s*v\d+(\.\d+)*", rest), "%s: %s has no version comment" % (workflow.name, action)
