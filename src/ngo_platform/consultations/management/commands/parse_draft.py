"""Print a draft act as a tree of editorial units (JSON), for support and tests."""

import json
import sys
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from ngo_platform.core.drafting import DraftFileError, parse_file, to_json


class Command(BaseCommand):
    help = "Parses a draft act (.txt, .docx, .odt; '-' reads text from stdin) and prints its units as JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to a .txt, .docx or .odt file, or '-' for text on stdin")

    def handle(self, *args, file, **options):
        if file == "-":
            filename, content = "stdin.txt", sys.stdin.buffer.read()
        else:
            path = Path(file)
            try:
                content = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"{file}: {exc.strerror}") from None
            filename = path.name
        try:
            root = parse_file(filename, content)
        except DraftFileError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(to_json(root), ensure_ascii=False, indent=2))
