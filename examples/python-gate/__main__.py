"""`pulumi up` with the Python language host runs this file: the program is gate_program.program."""

from gate_program import program

program()
