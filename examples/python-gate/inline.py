"""Runs gate_program.program through the Automation API, as an inline program: the calling Python
process serves the program to the `pulumi` CLI found on PATH, so no Python language host is needed.

    python inline.py <stack> preview|up|refresh|destroy [--expect-no-changes]

The project is the current directory (its Pulumi.yaml and Pulumi.<stack>.yaml: set the stack's
config with `pulumi config set` there). The CLI's output is printed as it comes; a failed
command prints its error and exits with 1.
"""

import os
import sys

import pulumi.automation as auto

from gate_program import program

COMMANDS = ("preview", "up", "refresh", "destroy")
USAGE = f"usage: python inline.py <stack> {'|'.join(COMMANDS)} [--expect-no-changes]"


def main(argv: list) -> int:
    if len(argv) not in (2, 3) or argv[1] not in COMMANDS or argv[2:] not in ([], ["--expect-no-changes"]):
        print(USAGE, file=sys.stderr)
        return 2
    stack_name, command = argv[0], argv[1]
    expect_no_changes = argv[2:] == ["--expect-no-changes"]
    workspace = auto.LocalWorkspaceOptions(work_dir=os.getcwd())
    stack = auto.select_stack(
        stack_name=stack_name, project_name="rds-python-gate", program=program, opts=workspace
    )
    show = lambda line: print(line, flush=True)  # noqa: E731 -- the CLI's lines, as they come
    try:
        if command == "preview":
            stack.preview(on_output=show, color="never", expect_no_changes=expect_no_changes)
        elif command == "up":
            stack.up(on_output=show, color="never", expect_no_changes=expect_no_changes)
        elif command == "refresh":
            stack.refresh(on_output=show, color="never", expect_no_changes=expect_no_changes)
        else:
            stack.destroy(on_output=show, color="never")
    except auto.CommandError as err:
        print(f"{command} failed: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
