# A package set with good packages and every kind of evaluation failure the evaluator must
# isolate per attribute. Builders are /bin/sh: everything builds offline.
{ }:
let
  mk = { pname, version, license ? null, maintainers ? [ ], deps ? [ ], tests ? { } }:
    let
      drv = derivation {
        name = "${pname}-${version}";
        system = builtins.currentSystem;
        builder = "/bin/sh";
        args = [ "-c" "echo ${pname} ${version} > $out" ];
        inherit deps;
      };
    in
    drv // {
      inherit pname version;
      meta = { inherit license maintainers; };
      passthru = { inherit tests; };
    };
  deep = n: if n == 0 then 0 else 1 + deep (n - 1);
in
rec {
  hello = mk { pname = "hello"; version = "2.12"; license = { spdxId = "GPL-3.0-or-later"; }; maintainers = [ { github = "alice"; } ]; tests = { version = null; }; };
  tool = mk { pname = "tool"; version = "1.0"; deps = [ hello ]; license = [ { shortName = "mit"; } "bsd3" ]; };
  thrown = throw "thrown: this package is marked broken";
  asserted = assert false; hello;
  aborted = abort "aborted: evaluation cannot continue";
  missingAttribute = hello.doesNotExist;
  infiniteRecursion = let x = x; in x;
  stackOverflow = deep 1000000;
  notADerivation = 42;
  plainSet = { inner = mk { pname = "hidden"; version = "1"; }; };
  sub = {
    recurseForDerivations = true;
    nested = mk { pname = "nested"; version = "0.1"; deps = [ tool ]; };
    brokenNested = throw "thrown inside a nested set";
    deeper = { recurseForDerivations = true; leaf = mk { pname = "leaf"; version = "3"; }; };
  };
}
