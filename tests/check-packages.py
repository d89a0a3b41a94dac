#!/usr/bin/env python3
"""Checks the SessionKit packages that tests/consumer-test.sh packed: what a user sees on the registry page and what
NuGet resolves. Usage: check-packages.py <feed folder> <version> <package id>...

Prints one "ok"/"FAIL" line per check and exits non-zero when any check fails."""
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

feed, version, ids = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
failures = 0


def check(ok, what):
    global failures
    print(f"  {'ok  ' if ok else 'FAIL'} {what}")
    failures += 0 if ok else 1


def advise(ok, what):
    """A shortcoming worth seeing that does not break consumers (it fails nothing)."""
    print(f"  {'ok  ' if ok else 'WARN'} {what}")


def lower_bound_only(range_text, minimum):
    """True when a NuGet version range means `>= minimum` with no upper bound: "2.13.23" or "[2.13.23, )"."""
    text = range_text.replace(" ", "")
    return text in (minimum, f"[{minimum},)")


for package_id in ids:
    nupkg = feed / f"{package_id}.{version}.nupkg"
    snupkg = feed / f"{package_id}.{version}.snupkg"
    print(f"{nupkg.name}")
    check(nupkg.exists(), "package exists")
    if not nupkg.exists():
        continue
    with zipfile.ZipFile(nupkg) as z:
        names = set(z.namelist())
        nuspec = ET.fromstring(z.read(f"{package_id}.nuspec"))
        readme = z.read("README.md").decode("utf-8") if "README.md" in names else ""
    ns = {"n": nuspec.tag.split("}")[0].strip("{")}
    meta = nuspec.find("n:metadata", ns)

    def text(tag):
        element = meta.find(f"n:{tag}", ns)
        return "" if element is None or element.text is None else element.text.strip()

    license_element = meta.find("n:license", ns)
    check(license_element is not None and license_element.get("type") == "expression" and license_element.text == "MIT",
          "license expression MIT")
    check(text("readme") == "README.md" and readme.startswith(f"# {package_id}"), "README.md packed and named in the nuspec")
    advise(len(readme.splitlines()) > 1, "README.md is more than a title (the registry page renders it)")
    check(len(text("description")) > 40, "description")
    check(len(text("tags").split()) >= 3, "tags")
    repository = meta.find("n:repository", ns)
    check(repository is not None and repository.get("type") == "git" and len(repository.get("commit", "")) == 40,
          "repository metadata (type git, commit)")
    check(f"lib/net10.0/{package_id}.dll" in names, "lib/net10.0 assembly")
    check(f"lib/net10.0/{package_id}.xml" in names, "XML documentation file next to the assembly")
    check(snupkg.exists(), "symbols package (.snupkg)")
    if snupkg.exists():
        with zipfile.ZipFile(snupkg) as z:
            check(f"lib/net10.0/{package_id}.pdb" in z.namelist(), "portable PDB in the symbols package")

    dependencies = {d.get("id"): d.get("version") for d in meta.iter(f"{{{ns['n']}}}dependency")}
    for dependency_id, range_text in dependencies.items():
        if dependency_id.startswith("SessionKit."):
            check(range_text == version, f"depends on {dependency_id} {range_text} (the same release)")
    if package_id == "SessionKit.Mongo":
        driver_range = dependencies.get("MongoDB.Driver", "")
        check(lower_bound_only(driver_range, "3.14.0"), f"MongoDB.Driver range '{driver_range}' is [3.14.0, ) (no upper bound)")
        check("buildTransitive/SessionKit.Mongo.targets" in names, "buildTransitive/SessionKit.Mongo.targets (roots MongoDB.Bson for trimmed and AOT apps)")
    if package_id == "SessionKit.Redis":
        se_range = dependencies.get("StackExchange.Redis", "")
        # A lower bound only: an app that references a newer StackExchange.Redis directly gets that version.
        check(lower_bound_only(se_range, "2.13.23"), f"StackExchange.Redis range '{se_range}' is [2.13.23, ) (no upper bound)")

sys.exit(1 if failures else 0)
