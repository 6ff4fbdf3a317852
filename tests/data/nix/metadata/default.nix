# Derivations whose metadata fails while their drvPath evaluates: every one is a job with a
# metadata warning, never an evaluation error. Builders are /bin/sh: everything builds offline.
{ }:
let
  lib = { maintainers = { }; };
  mk = { pname, version ? "1.0", meta ? { }, passthru ? { } }:
    derivation {
      name = "${pname}-${version}";
      system = builtins.currentSystem;
      builder = "/bin/sh";
      args = [ "-c" "echo ${pname} > $out" ];
    } // { inherit pname version meta passthru; };
in
{
  good = mk { pname = "good"; meta.license = { spdxId = "MIT"; }; };
  # `with` makes the unknown name a runtime error that tryEval cannot catch.
  undefinedMaintainer = mk { pname = "undefined-maintainer"; meta.maintainers = with lib.maintainers; [ nobody ]; };
  missingTest = mk { pname = "missing-test"; passthru.tests = lib.tests.doesNotExist; };
  abortingMeta = mk { pname = "aborting-meta"; meta = abort "meta is not ready"; };
  throwingLicense = mk { pname = "throwing-license"; meta.license = throw "license unknown"; };
  # Imports a file that ends in the middle of an expression; the attribute after it still counts.
  eofImport = import ./unfinished.nix;
  fine = mk { pname = "fine"; };
  brokenDrv = mk { pname = "broken-drv"; } // { drvPath = abort "no derivation"; };
}
