# Issue 13: qap's CSV outputs are what R's read.csv reads by default. Runs
# qap regress and qap dependence, reads their CSVs with read.csv (no
# arguments beyond the file) and checks the shape, the column names, NA where
# a value does not exist, and the coefficients against lm() on the same dyads.
#   Rscript tests/readers/read_csv.R QAP_EXECUTABLE SOURCE_DIR
args <- commandArgs(trailingOnly = TRUE)
qap <- args[1]
src <- args[2]
out <- tempfile("qap-read-csv-")
dir.create(out)
small <- function(name) file.path(src, "tests", "data", "small", paste0(name, ".csv"))

csv <- file.path(out, "regress.csv")
status <- system2(qap, c("regress", "--y", small("Y"), "--x", small("X1"), small("X2"),
                         "--perms", "99", "--seed", "1", "--format", "csv", "-o", csv))
stopifnot(status == 0, file.exists(paste0(csv, ".meta.json")))
d <- read.csv(csv)
stopifnot(identical(dim(d), c(3L, 15L)))
stopifnot(identical(names(d), c("variable", "file", "coefficient", "standardized", "std_error",
                                "t", "p_ge", "p_le", "p_two_sided", "count_ge", "count_le",
                                "count_as_extreme", "valid_permutations", "classical_p", "stars")))
stopifnot(identical(d$variable, c("(intercept)", "X1", "X2")))
stopifnot(is.numeric(d$coefficient), is.numeric(d$p_two_sided), is.numeric(d$standardized))
# The intercept has no file, no standardized coefficient and no permutation test.
stopifnot(is.na(d$file[1]), is.na(d$standardized[1]), is.na(d$p_two_sided[1]))
stopifnot(!anyNA(d$coefficient), !anyNA(d$p_two_sided[2:3]))

# The coefficients are ordinary least squares over the off-diagonal dyads.
dyads <- function(name) {
  m <- as.matrix(read.csv(small(name), row.names = 1, check.names = FALSE))
  m[row(m) != col(m)]
}
fit <- lm(dyads("Y") ~ dyads("X1") + dyads("X2"))
stopifnot(isTRUE(all.equal(unname(coef(fit)), d$coefficient, tolerance = 1e-10)))

# dependence's concentration.csv: one row per economy.
status <- system2(qap, c("dependence", "--flows",
                         file.path(src, "tests", "data", "worked_example_flows.csv"),
                         "--output-dir", out))
stopifnot(status == 0)
k <- read.csv(file.path(out, "concentration.csv"))
stopifnot(ncol(k) == 7, nrow(k) > 0, names(k)[1] == "economy", is.numeric(k$exports))

unlink(out, recursive = TRUE)
cat("read.csv: regress", dim(d), "and concentration", dim(k), "as expected\n")
