"""Package layout that pyproject.toml cannot express: the top-level resources/ folder (the design
card's source of the sample article, icons and desktop files) ships inside the wheel as
annotator/resources/, where annotator.paths.resource_path finds it. Everything else about the
project is declared in pyproject.toml."""

from setuptools import find_packages, setup

RESOURCES = "annotator.resources"

setup(
    packages=[*find_packages(include=["annotator", "annotator.*"]), RESOURCES],
    package_dir={RESOURCES: "resources"},
    package_data={
        "annotator.store": [
            "migrations/*.py",
            "migrations/*.mako",
            "migrations/*.sql",
            "migrations/versions/*.py",
        ],
        RESOURCES: ["*.txt", "*.desktop", "*.xml", "icons/*"],
    },
)
