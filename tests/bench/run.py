"""`make bench`: every benchmark, one after the other."""

from . import bench_pdf

if __name__ == "__main__":
    bench_pdf.main()
