"""Errors the CLI maps to exit codes; each carries one line a user can act on."""


class InputError(Exception):
    """Bad input (a config file, an override, an output path): exit code 2.

    The message is one line naming the file and the dotted field.
    """
