"""The README shows the role matrices exactly as the code defines them."""

from syros_app.__main__ import README_MATRICES, readme_with_matrices
from syros_app.capabilities import role_matrices_markdown
from syros_app.core.actions import RoleMatrix
from syros_app.core.settings import PROJECT_ROOT


def test_every_capability_has_a_matrix():
    role_matrices_markdown()
    names = {m.capability for m in RoleMatrix.all()}
    assert {"identity", "consultations", "voting", "notices", "reports"} <= names


def test_readme_matrices_are_up_to_date():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert README_MATRICES[0] in readme and README_MATRICES[1] in readme
    assert readme_with_matrices(readme, role_matrices_markdown()) == readme, (
        "README.md's role matrices differ from the code: run `python -m syros_app roles matrix --readme`")
