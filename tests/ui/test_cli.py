"""The CLI contract, run as a user would: separate processes against one data dir."""
import json

import pytest


def test_ask_json_shape(run_cli, source):
    out = run_cli("ask", "市交通局要做什么？", "--json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["question"] == "市交通局要做什么？" and d["answerable"] is True and d["backend"] == "extractive"
    assert len(d["citations"]) == 2
    for c in d["citations"]:
        assert source[c["start"]:c["end"]] == c["quote"]


def test_ask_with_history_file(run_cli, tmp_path):
    history = tmp_path / "history.json"
    history.write_text(json.dumps(["市交通局要做什么？"], ensure_ascii=False), encoding="utf-8")
    d = json.loads(run_cli("ask", "那住建局呢？", "--json", "--history-file", str(history)).stdout)
    assert d["standalone_question"] == "市住建局要做什么？" and "6个100%" in d["answer"]


def test_bad_history_file_is_a_clear_error(run_cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    out = run_cli("ask", "市交通局要做什么？", "--history-file", str(bad))
    assert out.returncode == 2 and "history-file" in out.stderr and "Traceback" not in out.stderr


def test_empty_question_exits_2_with_one_line(run_cli):
    out = run_cli("ask", "   ")
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_too_long_question_is_a_clear_error(run_cli):
    out = run_cli("ask", "问" * 2500)
    assert out.returncode == 2 and "2000" in out.stderr


def test_source_prints_the_canonical_text(run_cli, source):
    assert run_cli("source").stdout == source


def test_duties_and_figures_json(run_cli):
    duties = json.loads(run_cli("duties", "交通局", "--json").stdout)
    assert len(duties) == 2 and all("市交通局" in d["actors"] for d in duties)
    figures = json.loads(run_cli("figures", "--json").stdout)
    assert any(f["text"] == "325天" and f["kind"] == "target" for f in figures)
    unknown = run_cli("duties", "市教育局")
    assert unknown.returncode == 1 and "没有" in unknown.stderr


def test_index_persists_across_processes(run_cli, assistant):
    # The session's index was built in this process; a new process reuses it instead of rebuilding.
    out = run_cli("index")
    assert out.returncode == 0
    assert assistant.index.manifest["build_id"] in out.stdout


def test_chat_answers_followups(run_cli):
    out = run_cli("chat", stdin="市交通局要做什么？\n那住建局呢？\n\n")
    assert out.returncode == 0
    assert "汽修行业" in out.stdout and "6个100%" in out.stdout and "市住建局要做什么" in out.stdout


# --- Rich markup in user or document text is printed literally (issue 22) ------------------------------

MARKUP_NOTICE = """关于[bold]加强[/red]扬尘管控的通知

各县区政府、市直各部门：

今年要完成[/]造林绿化面积10万亩。

市交通局要加强道路扬尘管控[/red]，确保渣土车辆全部密闭运输。

市住建局要落实施工工地扬尘管控要求[bold]，确保工地扬尘得到有效治理。
"""


def _no_crash(out, code=0):
    assert "Traceback" not in out.stderr and "MarkupError" not in out.stderr, out.stderr[-2000:]
    assert out.returncode == code, out.stderr[-2000:]


def test_markup_in_an_actor_is_printed_literally(run_cli):
    out = run_cli("duties", "[/red]市教育[bold]局")
    _no_crash(out, code=1)
    assert "[/red]市教育[bold]局" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_markup_in_a_question_is_printed_literally(run_cli):
    out = run_cli("chat", stdin="市交通局要做什么？\n[/red]\n那住建局呢[/]？\n\n")
    _no_crash(out)
    assert "汽修行业" in out.stdout and "6个100%" in out.stdout


def test_citation_table_header_is_shown(run_cli):
    out = run_cli("ask", "市交通局要做什么？")
    _no_crash(out)
    assert "[n]" in out.stdout


def test_markup_in_a_document_is_printed_literally(run_cli, tmp_path):
    doc = tmp_path / "markup-notice.txt"
    doc.write_text(MARKUP_NOTICE, encoding="utf-8")
    env = {"ASSISTANT_HOME": str(tmp_path / "home"), "COLUMNS": "200"}
    out = run_cli("index", "--corpus", str(doc), env=env)
    _no_crash(out)
    assert "关于[bold]加强[/red]扬尘管控的通知" in out.stdout
    out = run_cli("duties", env=env)
    _no_crash(out)
    assert "扬尘管控[/red]" in out.stdout and "管控要求[bold]" in out.stdout
    out = run_cli("figures", env=env)
    _no_crash(out)
    assert "10万亩" in out.stdout
    out = run_cli("ask", "市交通局要做什么？", env=env)
    _no_crash(out)
    assert "扬尘管控[/red]" in out.stdout


# --- special files as documents or history (issue 22) ----------------------------------------------------

def _capped_cli(*args, env=None, timeout=60):
    """The CLI in a child capped at 4 GB of address space: a loader that reads /dev/zero fails fast instead
    of eating the machine's memory, and one that blocks on a FIFO fails at the timeout."""
    import os
    import resource
    import subprocess
    import sys

    from tests.conftest import ROOT

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    try:
        return subprocess.run([sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True,
                              env=os.environ | (env or {}), timeout=timeout, cwd=ROOT, preexec_fn=cap)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"assistant {' '.join(args)} did not finish within {timeout} s") from None


@pytest.mark.parametrize("how", ["--corpus", "ASSISTANT_CORPUS", "corpus.json"])
@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_special_file_as_a_document_is_a_one_line_error(tmp_path, how, special):
    import json as _json
    import os

    home = tmp_path / "home"
    home.mkdir()
    path = special
    if special == "fifo":
        path = str(tmp_path / "doc.txt")
        os.mkfifo(path)
    env = {"ASSISTANT_HOME": str(home)}
    args = ["index"]
    if how == "--corpus":
        args += ["--corpus", path]
    elif how == "ASSISTANT_CORPUS":
        env["ASSISTANT_CORPUS"] = path
    else:
        (home / "corpus.json").write_text(_json.dumps([path]), encoding="utf-8")
    out = _capped_cli(*args, env=env, timeout=30)
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr[-2000:]
    assert len(out.stderr.strip().splitlines()) == 1 and "not a regular file" in out.stderr and path in out.stderr


def test_fifo_as_history_file_is_a_one_line_error(tmp_path, home):
    import os

    fifo = tmp_path / "h.json"
    os.mkfifo(fifo)
    out = _capped_cli("ask", "市交通局要做什么？", "--history-file", str(fifo), env={"ASSISTANT_HOME": str(home)},
                      timeout=30)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "not a regular file" in out.stderr


# --- settings that cannot work are refused with one line (issue 22) ---------------------------------------

@pytest.mark.parametrize("command", [("ask", "市交通局要做什么？"), ("source",), ("duties",)])
def test_bad_thread_count_is_a_one_line_error(run_cli, command):
    out = run_cli(*command, env={"ASSISTANT_THREADS": "abc"})
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "ASSISTANT_THREADS" in out.stderr


@pytest.mark.parametrize("user, password", [("admin", ""), ("", "secret")])
def test_half_configured_login_refuses_to_serve(run_cli, user, password):
    from tests.ui.conftest import free_port

    import subprocess

    try:
        out = run_cli("serve", "--port", str(free_port()), env={"ASSISTANT_UI_USER": user,
                                                                "ASSISTANT_UI_PASSWORD": password}, timeout=60)
    except subprocess.TimeoutExpired:
        raise AssertionError("serve started although nobody could log in") from None
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "ASSISTANT_UI_" in out.stderr


def test_chroma_password_is_not_echoed(run_cli, tmp_path):
    from tests.ui.conftest import free_port

    url = f"http://bob:s3cret@127.0.0.1:{free_port()}"
    out = run_cli("ask", "市交通局要做什么？", env={"ASSISTANT_CHROMA_URL": url, "ASSISTANT_HOME": str(tmp_path)})
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "s3cret" not in out.stderr + out.stdout and "***@127.0.0.1" in out.stderr


# --- a library: adding and removing documents (issue 20) ---------------------------------------------------
NOTICE_A = "关于加强秸秆禁烧的通知\n各县区政府要加强秸秆禁烧巡查，每周不少于2次。\n市农业农村局要推广秸秆综合利用。\n"
NOTICE_B = "关于做好汛期安全的通知\n市水利局要在6月1日前完成全部水库安全检查。\n各镇要落实防汛责任人。\n"


def test_documents_are_added_and_removed_without_embedding_the_others_again(run_cli, tmp_path):
    a, b = tmp_path / "straw-notice.txt", tmp_path / "flood-notice.txt"
    a.write_text(NOTICE_A, encoding="utf-8")
    b.write_text(NOTICE_B, encoding="utf-8")
    env = {"ASSISTANT_HOME": str(tmp_path / "home"), "COLUMNS": "200"}
    vectors = tmp_path / "home" / "vectors"
    out = run_cli("index", "--corpus", str(a), env=env)
    _no_crash(out)
    first = {p.name: p.stat().st_mtime_ns for p in vectors.iterdir()}
    assert len(first) == 1
    out = run_cli("index", "--add", str(b), env=env)
    _no_crash(out)
    assert "秸秆禁烧" in out.stdout and "汛期安全" in out.stdout
    after = {p.name: p.stat().st_mtime_ns for p in vectors.iterdir()}
    assert len(after) == 2 and all(after[n] == t for n, t in first.items())   # A's vectors reused, not rewritten
    assert "市水利局" in run_cli("duties", env=env).stdout
    out = run_cli("index", "--remove", a.name, env=env)
    _no_crash(out)
    assert "汛期安全" in out.stdout and "秸秆禁烧" not in out.stdout
    assert len(list(vectors.iterdir())) == 1
    bad = run_cli("index", "--remove", "no-such-notice", env=env)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    empty = run_cli("index", "--remove", b.name, env=env)
    assert empty.returncode != 0 and "至少要有一个文档" in empty.stderr


def test_with_several_documents_every_answer_and_citation_names_its_document(run_cli, tmp_path):
    a, b = tmp_path / "straw-notice.txt", tmp_path / "flood-notice.txt"
    a.write_text(NOTICE_A, encoding="utf-8")
    b.write_text(NOTICE_B, encoding="utf-8")
    env = {"ASSISTANT_HOME": str(tmp_path / "home"), "COLUMNS": "200"}
    _no_crash(run_cli("index", "--corpus", str(a), "--corpus", str(b), env=env))
    out = run_cli("ask", "水库安全检查什么时候完成？", "--json", env=env)
    _no_crash(out)
    answer = json.loads(out.stdout)
    assert answer["answerable"] and answer["citations"]
    assert all("汛期安全" in c["doc_title"] for c in answer["citations"])
    table = run_cli("ask", "秸秆禁烧巡查每周几次？", env=env)
    _no_crash(table)
    assert "《关于加强秸秆禁烧的通知》" in table.stdout
    listed = run_cli("source", "--list", env=env)
    _no_crash(listed)
    lines = listed.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == [a.stem, b.stem] and lines[0].endswith("\t关于加强秸秆禁烧的通知")
    # --doc: only from that document, whatever the question asks.
    only = run_cli("ask", "水库安全检查什么时候完成？", "--doc", a.stem, "--json", env=env)
    _no_crash(only)
    assert {c["doc"] for c in json.loads(only.stdout)["citations"]} <= {a.stem}
    unknown = run_cli("ask", "水库安全检查什么时候完成？", "--doc", "no-such", env=env)
    assert unknown.returncode != 0 and "Traceback" not in unknown.stderr and "no-such" in unknown.stderr
