#!/usr/bin/env python3
"""The reference evaluation for eka-ci's review benchmarks and property tests.

A plain per-attribute walker in one long-lived `nix repl`, independent of eka-ci's evaluator:
it asks for each attribute's drvPath and output paths (no metadata), one command at a time,
recursing into the top level and into sets marked recurseForDerivations, as `nix-env -qa`
does. The repl survives errors that builtins.tryEval cannot catch, so one broken attribute
never stops the walk.

    reference-walker.py FILE [--attr-path A.B] [--cache-dir DIR] [--option NAME VALUE]... [--preload LIB]

--preload runs nix with LIB in LD_PRELOAD (benchmarks: eka-ci's read buffer).

Prints one line per attribute, sorted: "attr<TAB>drvPath<TAB>out1,out2" for a derivation,
"attr<TAB>ERROR<TAB>first line of the message" for an attribute that fails to evaluate.
"""
import argparse
import json
import os
import subprocess
import sys


def nix_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("${", "\\${").replace("\n", "\\n") + '"'


def selector(path):
    return "".join("." + nix_string(name) for name in path)


def attr_name(path):
    plain = lambda n: n and all(c.isalnum() or c in "_-'" for c in n)
    return ".".join(n if plain(n) else '"' + n + '"' for n in path)


class Repl:
    def __init__(self, file, attr_path, options, env):
        argv = ["nix", "repl", "--extra-experimental-features", "nix-command flakes"] + options
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     env=env, cwd=os.path.dirname(file), text=True, bufsize=1)
        root = "(let raw = import " + nix_string(file) + "; in if builtins.isFunction raw then raw { } else raw)"
        self.send("walkRoot = " + root + selector(attr_path))
        self.counter = 0

    def send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def ask(self, expression):
        """Runs one command; returns (result or None, error text)."""
        self.counter += 1
        sync = "W-SYNC:%d" % self.counter
        self.send('let in builtins.trace ("W-R:" + builtins.toJSON (%s)) null' % expression)
        # Twice: a command that fails at the end of an unfinished file swallows the next line.
        self.send('let in builtins.trace "%s" null' % sync)
        self.send('let in builtins.trace "%s" null' % sync)
        result, error = None, []
        for line in self.proc.stderr:
            line = line.rstrip("\n")
            if line == "trace: " + sync:
                return result, "\n".join(error)
            if line.startswith("trace: W-SYNC:"):
                continue  # the second sync of an earlier command
            if line.startswith("trace: W-R:"):
                result = json.loads(line[len("trace: W-R:"):])
            else:
                error.append(line)
        raise RuntimeError("nix repl ended unexpectedly: " + "\n".join(error[-5:]))


def describe(path):
    v = "walkRoot" + selector(path)
    top = "true" if not path else "false"
    return ("let v = %s; in if (v.type or null) == \"derivation\" then "
            "{ d = v.drvPath; o = map (n: v.${n}.outPath) (v.outputs or [ \"out\" ]); } "
            "else if builtins.isAttrs v && (%s || (v.recurseForDerivations or false) == true) "
            "then { s = builtins.attrNames v; } else { }") % (v, top)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--attr-path", default="")
    parser.add_argument("--cache-dir")
    parser.add_argument("--option", nargs=2, action="append", default=[])
    parser.add_argument("--preload")
    args = parser.parse_args()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), "NIX_PATH": ""}
    if args.cache_dir:
        env["XDG_CACHE_HOME"] = args.cache_dir
    if args.preload:
        env["LD_PRELOAD"] = os.path.abspath(args.preload)
    if "NIX_REMOTE" in os.environ:
        env["NIX_REMOTE"] = os.environ["NIX_REMOTE"]
    options = [part for pair in args.option for part in ["--option", pair[0], pair[1]]]
    attr_path = [p for p in args.attr_path.split(".") if p]
    file = os.path.abspath(args.file)
    repl = Repl(file, attr_path, options, env)
    lines = []
    pending = [[]]
    while pending:
        path = pending.pop()
        try:
            result, error = repl.ask(describe(path))
        except RuntimeError as died:  # stack overflow, memory: the repl is gone; start another
            lines.append("%s\tERROR\t%s" % (attr_name(path), str(died).splitlines()[0]))
            repl = Repl(file, attr_path, options, env)
            continue
        if result is None:
            if not path:
                sys.exit("the package set does not evaluate: " + error)
            message = next((l for l in error.splitlines() if l.startswith("error:")), "error: (no message)")
            lines.append("%s\tERROR\t%s" % (attr_name(path), message))
        elif "d" in result:
            lines.append("%s\t%s\t%s" % (attr_name(path), result["d"], ",".join(result["o"])))
        elif "s" in result:
            pending.extend(path + [name] for name in reversed(result["s"]))
    repl.proc.stdin.close()
    repl.proc.wait()
    sys.stdout.write("".join(line + "\n" for line in sorted(lines)))


if __name__ == "__main__":
    main()
