// Intentionally empty: each ekaci_layer_<folder> shared object is one kernel folder's
// library linked whole with --no-undefined, so that a symbol from a folder it does not
// declare (a wrong-way include) fails the link. See kernel/CMakeLists.txt.
