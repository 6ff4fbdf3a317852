# Helpers for the demo package set. Every builder is /bin/sh with shell built-ins only, so
# everything builds offline.
{ system ? builtins.currentSystem }:
rec {
  # A package: its build writes its name, version and the outputs it depends on. Naming a
  # dependency's path makes it a runtime reference, so closures grow as real ones do.
  mkPackage = { pname, version, deps ? [ ], script ? "", license ? null, maintainers ? [ ], tests ? { } }:
    let
      drv = derivation {
        name = "${pname}-${version}";
        inherit system deps;
        builder = "/bin/sh";
        args = [ "-c" ''
          echo "${pname} ${version}" > $out
          for d in $deps; do echo "uses $d" >> $out; while IFS= read -r line; do echo "$line"; done < $d >> $out; done
          ${script}
        '' ];
      };
    in
    drv // {
      inherit pname version;
      meta = { inherit license maintainers; };
      passthru = { inherit tests; };
    };

  # A fixed-output "download": its output is known in advance, whatever mirror it uses.
  fetchSource = { name, url }:
    derivation {
      inherit name system url;
      builder = "/bin/sh";
      args = [ "-c" "printf source > $out" ];
      outputHashMode = "flat";
      outputHashAlgo = "sha256";
      outputHash = "41cf6794ba4200b839c53531555f0f3998df4cbb01a4d5cb0b94e3ca5e23947d";
    };
}
