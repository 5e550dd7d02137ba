#!/usr/bin/env python3
"""Byte identity of two builds' parsing of policy text.

Usage: python3 benches/text_mutants.py OLD_BINARY NEW_BINARY

`lint` (human and JSON) and `fmt --check` of every policy of the repository and of five mutants
of each (quotes, backslashes, line ends, `#`, back quotes, tabs or an accented letter inserted,
or a few characters cut; seeded), each run in a copy of the policy's folder so that its `use`
includes resolve. Standard output, standard error and exit code must match. Prints the counts
and exits 1 when a run differs. For a change to the grammar's trivia or text rules.
"""
import glob
import os
import random
import shutil
import subprocess
import sys
import tempfile

INSERTS = ['"', '\\', '\n', '#', '`', '\\"', '# x', '"a', 'é', '\t']


def mutants(text, rng, count=5):
    out = []
    for _ in range(count):
        s = text
        for _ in range(rng.randint(1, 3)):
            i = rng.randint(0, len(s))
            if rng.random() < 0.5 and s:
                s = s[:i] + s[min(len(s), i + rng.randint(1, 3)):]
            else:
                s = s[:i] + rng.choice(INSERTS) + s[i:]
        out.append(s)
    return out


def run(binary, args, cwd):
    p = subprocess.run([binary] + args, capture_output=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    tmp = tempfile.mkdtemp()
    try:
        # Both under the name `covenant`, so that usage messages match.
        old, new = os.path.join(tmp, 'old', 'covenant'), os.path.join(tmp, 'new', 'covenant')
        for src, dst in ((sys.argv[1], old), (sys.argv[2], new)):
            os.makedirs(os.path.dirname(dst))
            shutil.copy(src, dst)
        rng = random.Random(18)
        files = sorted(f for f in glob.glob(os.path.join(root, '**', '*.policy'), recursive=True)
                       if '/target/' not in f)
        runs = differ = failing = texts = 0
        for n, path in enumerate(files):
            folder = os.path.join(tmp, 'mut', str(n))
            shutil.copytree(os.path.dirname(path), folder)
            target = os.path.join(folder, os.path.basename(path))
            text = open(path, encoding='utf-8', errors='replace').read()
            for s in [text] + mutants(text, rng):
                texts += 1
                with open(target, 'w', encoding='utf-8') as f:
                    f.write(s)
                for args in (['lint', '--format', 'json', '-p', target],
                             ['lint', '-p', target], ['fmt', '--check', target]):
                    a, b = run(old, args, folder), run(new, args, folder)
                    runs += 1
                    failing += a[0] != 0
                    if a != b:
                        differ += 1
                        if differ <= 5:
                            print('differs:', path, args, a[0], b[0], a[2][:300], b[2][:300])
            shutil.rmtree(folder)
        print(f'{len(files)} policies, {texts} texts, {runs} runs ({failing} exit non-zero), '
              f'{differ} differences')
        sys.exit(1 if differ else 0)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
