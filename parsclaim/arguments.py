"""The argument parser of every `parsclaim` command: HfArgumentParser with plain boolean flags.

HfArgumentParser gives a boolean option an optional value (`--summary [SUMMARY]`), so
`parsclaim tag --summary article.txt` read the file name as the flag's value and failed. Here a
boolean option takes no value; `--no_X` still turns off one that defaults to true. The help shows
a default only where it says something: not for flags, not None, not twice.
"""

from __future__ import annotations

import argparse

from transformers import HfArgumentParser
from transformers.hf_argparser import string_to_bool


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.nargs == 0 or action.default is None or not action.option_strings or "default" in text:
            return text
        return super()._get_help_string(action)


class ArgumentParser(HfArgumentParser):
    def __init__(self, dataclass_types, **kwargs):
        kwargs.setdefault("conflict_handler", "resolve")  # a flag below replaces the option it redefines
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(dataclass_types, **kwargs)
        for action in list(self._actions):
            if action.type is string_to_bool and action.nargs == "?" and action.const is True:
                self.add_argument(*action.option_strings, action="store_true", dest=action.dest,
                                  default=action.default, help=action.help)
                # the flag now comes after its --no_X twin, whose default (False) would otherwise win
                self.set_defaults(**{action.dest: action.default})
            elif isinstance(action, argparse._StoreFalseAction) and action.option_strings[0].startswith("--no_"):
                action.help = f"Turn off {action.option_strings[0].replace('--no_', '--', 1)}."
