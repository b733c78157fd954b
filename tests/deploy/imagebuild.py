"""The image's Python environment, built on this machine the way deploy/Dockerfile builds it.

No Docker engine runs here, so `build_image_env` interprets deploy/Dockerfile itself: it copies the
build context through the .dockerignore allow-list, runs the builder stage's ENV, WORKDIR,
COPY and RUN instructions on this machine (pip uses the machine's configured indexes), and maps
the runtime stage's ENV, WORKDIR, COPY, HEALTHCHECK and CMD onto temporary folders. Container
paths such as /opt/venv or /data become folders under a temporary "root". A change to the
Dockerfile's build steps is therefore tested as written, not as a copy kept in the test.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "deploy" / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"


# -- reading the Dockerfile ------------------------------------------------------------------


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)


def parse_dockerfile(text: str) -> list[Stage]:
    """Stages with their (INSTRUCTION, arguments); continuation lines joined, comments dropped."""
    logical: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    stages: list[Stage] = []
    for line in logical:
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "FROM":
            words = args.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(words[0], name))
        else:
            stages[-1].instructions.append((keyword, args))
    return stages


def parse_env(args: str) -> dict[str, str]:
    """`ENV A=1 B="x y"` (the key=value form only)."""
    pairs = {}
    for word in shlex.split(args):
        key, sep, value = word.partition("=")
        assert sep, f"ENV {args!r}: use the KEY=value form"
        pairs[key] = value
    return pairs


def allowed_context_paths(dockerignore: str) -> list[str]:
    """The `!path` entries of an allow-list .dockerignore (one that starts with `*`)."""
    lines = [ln.strip() for ln in dockerignore.splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    assert lines[0] == "*", ".dockerignore must be an allow-list starting with `*`"
    return [ln[1:].rstrip("/") for ln in lines if ln.startswith("!")]


# -- running it --------------------------------------------------------------------------------


@dataclass
class ImageEnv:
    """The built environment: map container paths with `host()`, run commands with `run()`."""

    root: Path
    env: dict[str, str]
    workdir: Path
    healthcheck: list[str]
    cmd: list[str]
    volumes: list[str]

    def host(self, container_path: str) -> str:
        return host_path(self.root, container_path)

    def run(
        self, argv: list[str], extra_env: dict[str, str] | None = None, **kwargs: object
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv,
            env={**self.env, **(extra_env or {})},
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            **kwargs,  # type: ignore[call-overload]
        )


def host_path(root: Path, container_path: str) -> str:
    if not container_path.startswith("/"):
        return container_path
    return str(root / container_path.lstrip("/"))


def map_paths(root: Path, text: str, prefixes: list[str]) -> str:
    """Replace container paths (the known absolute prefixes) inside a command or value."""
    for prefix in sorted(prefixes, key=len, reverse=True):
        text = text.replace(prefix, host_path(root, prefix))
    return text


def copy_context(dest: Path) -> None:
    """The build context as Docker sees it: only the allow-listed paths, without caches."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for rel in allowed_context_paths(DOCKERIGNORE.read_text()):
        src = REPO / rel
        assert src.exists(), f".dockerignore allows {rel}, which does not exist"
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, target, ignore=skip)
        else:
            shutil.copy2(src, target)


def copy_into(context: Path, workdir: Path, args: str, root: Path) -> None:
    """`COPY src... dest` from the context (no --from)."""
    *sources, dest = shlex.split(args)
    target = Path(host_path(root, dest)) if dest.startswith("/") else workdir / dest
    for source in sources:
        src = context / source.rstrip("/")
        assert src.exists(), f"COPY {source}: not in the build context (check .dockerignore)"
        if src.is_dir():
            shutil.copytree(src, target, dirs_exist_ok=True)
        else:
            if dest.endswith("/"):
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, target / src.name)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, target)


def set_env(env: dict[str, str], values: dict[str, str], root: Path, prefixes: list[str]) -> None:
    """`ENV`: container paths mapped, `$PATH` expanded (the only variable the Dockerfile uses)."""
    for key, value in values.items():
        env[key] = map_paths(root, value, prefixes).replace("$PATH", env.get("PATH", ""))


def exec_form(args: str) -> list[str]:
    """The JSON-array (exec) form of CMD / HEALTHCHECK CMD."""
    argv = json.loads(args)
    assert isinstance(argv, list) and all(isinstance(a, str) for a in argv), args
    return argv


def build_image_env(root: Path) -> ImageEnv:
    """Build into `root` (a fresh folder standing for the image's /) and describe the result."""
    builder, runtime = parse_dockerfile(DOCKERFILE.read_text())
    context = root.parent / "context"
    copy_context(context)

    # Container paths seen in the Dockerfile: every WORKDIR, ENV value, VOLUME and COPY target.
    prefixes = ["/opt/venv", "/opt/ta-advisor", "/data", "/src"]

    # The machine's own Python stands in for the base image's (both 3.11); the rest of PATH is
    # kept for bash and pip's helpers. HOME etc. stay, so pip finds this machine's config.
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("TA_ADVISOR_", "TELE"))}
    base_env.pop("VIRTUAL_ENV", None)
    base_path = str(Path(sys.executable).parent) + os.pathsep + base_env.get("PATH", "")
    env = {**base_env, "PATH": base_path}
    workdir = root
    for keyword, args in builder.instructions:
        if keyword == "ENV":
            set_env(env, parse_env(args), root, prefixes)
        elif keyword == "WORKDIR":
            workdir = Path(host_path(root, args))
            workdir.mkdir(parents=True, exist_ok=True)
        elif keyword == "COPY":
            copy_into(context, workdir, args, root)
        elif keyword == "RUN":
            command = map_paths(root, args, prefixes)
            done = subprocess.run(
                ["bash", "-ec", command], cwd=workdir, env=env, capture_output=True, text=True
            )
            assert done.returncode == 0, f"RUN {args}\n{done.stdout}\n{done.stderr}"
        else:
            raise AssertionError(f"builder stage: {keyword} is not interpreted by this test")

    # The runtime stage reuses the builder's venv in place (a venv cannot be moved).
    env = {**base_env, "PATH": base_env.get("PATH", "")}
    healthcheck: list[str] = []
    cmd: list[str] = []
    volumes: list[str] = []
    for keyword, args in runtime.instructions:
        if keyword == "ENV":
            set_env(env, parse_env(args), root, prefixes)
        elif keyword == "WORKDIR":
            workdir = Path(host_path(root, args))
            workdir.mkdir(parents=True, exist_ok=True)
        elif keyword == "COPY" and args.startswith("--from=builder"):
            src, dest = shlex.split(args)[1:]
            assert src == dest, "the venv must keep its path: scripts hard-code it"
        elif keyword == "COPY":
            copy_into(context, workdir, args, root)
        elif keyword == "VOLUME":
            volumes = exec_form(args)
            for volume in volumes:
                Path(host_path(root, volume)).mkdir(parents=True, exist_ok=True)
        elif keyword == "HEALTHCHECK":
            healthcheck = [map_paths(root, a, prefixes) for a in exec_form(args.split("CMD", 1)[1])]
        elif keyword == "CMD":
            cmd = exec_form(args)
        # RUN (creating the user), USER and EXPOSE have no meaning outside a container.
    return ImageEnv(root, env, workdir, healthcheck, cmd, volumes)
