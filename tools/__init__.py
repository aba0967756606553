"""Development tools shared by the tests (tests/) and the benchmarks (bench/); not part of the book."""
