#!/usr/bin/env Rscript
# Side-by-side timing of R's sna::netlm and `qap regress` on the same generated
# data. A tool for people, not part of the test suite (it needs R and sna:
# apt-get install r-cran-sna).
#
#   Rscript bench/compare_sna.R [n=160] [p=5] [sna_reps=50] [qap_perms=5000] [qap=build/release/cli/qap]
#
# sna is slow (about 16 s per 100 DSP permutations at n = 160), so it runs
# `sna_reps` permutations and its time is scaled linearly to `qap_perms`; both
# the measured and the scaled time are printed. Its cost is linear in the
# number of permutations (one QR refit per permutation and coefficient).
suppressPackageStartupMessages(library(sna))

args <- commandArgs(trailingOnly = TRUE)
arg <- function(i, default) if (length(args) >= i) args[[i]] else default
n <- as.integer(arg(1, "160"))
p <- as.integer(arg(2, "5"))
sna_reps <- as.integer(arg(3, "50"))
qap_perms <- as.integer(arg(4, "5000"))
qap <- arg(5, "build/release/cli/qap")
if (!file.exists(qap)) stop("qap executable not found at ", qap, "; build it first (scripts/setup.sh run)")

set.seed(20261123)
node_effect <- function() {
  a <- rnorm(n)
  m <- abs(outer(a, a, "-")) + 0.3 * matrix(rnorm(n * n), n, n)
  diag(m) <- 0
  m
}
y <- node_effect()
x <- lapply(seq_len(p), function(i) node_effect())
y <- y + 0.5 * x[[1]]

folder <- tempfile("qap_compare_")
dir.create(folder)
labels <- sprintf("node%04d", seq_len(n))
write_matrix <- function(m, name) {
  path <- file.path(folder, paste0(name, ".csv"))
  out <- cbind(labels, format(m, digits = 17, trim = TRUE))
  writeLines(c(paste(c("", labels), collapse = ","), apply(out, 1, paste, collapse = ",")), path)
  path
}
y_path <- write_matrix(y, "Y")
x_paths <- vapply(seq_len(p), function(i) write_matrix(x[[i]], paste0("X", i)), "")
x_array <- array(dim = c(p, n, n))
for (i in seq_len(p)) x_array[i, , ] <- x[[i]]

time_sna <- function(nullhyp) {
  elapsed <- system.time(netlm(y, x_array, nullhyp = nullhyp, reps = sna_reps))[["elapsed"]]
  c(measured = elapsed, scaled = elapsed * qap_perms / sna_reps)
}
time_qap <- function(null) {
  command <- sprintf("'%s' regress --y '%s' --x %s --null %s --perms %d --seed 1 --quiet > /dev/null",
                     qap, y_path, paste(shQuote(x_paths), collapse = " "), null, qap_perms)
  elapsed <- system.time(status <- system(command))[["elapsed"]]
  if (status != 0) stop("qap failed: ", command)
  elapsed
}

cat(sprintf("n = %d nodes (%d dyads), %d explanatory matrices\n", n, n * (n - 1), p))
cat(sprintf("%-10s %-14s %12s %12s %16s %10s\n", "null", "sna reps", "sna s", "qap perms", "sna s (scaled)", "qap s"))
for (case in list(c("qapspp", "dsp"), c("qapy", "y"))) {
  sna_time <- time_sna(case[[1]])
  qap_time <- time_qap(case[[2]])
  cat(sprintf("%-10s %-14d %12.2f %12d %16.1f %10.3f   qap is %.0fx faster\n", case[[2]], sna_reps,
              sna_time[["measured"]], qap_perms, sna_time[["scaled"]], qap_time, sna_time[["scaled"]] / qap_time))
}
unlink(folder, recursive = TRUE)
