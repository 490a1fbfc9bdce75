#!/usr/bin/env Rscript
# -----------------------------------------------------------------------------
# make_golden.R -- golden files for the qap engine, produced by R's sna package.
#
# Run from anywhere (paths are resolved from this script's location):
#
#     Rscript tests/golden/sna/make_golden.R
#
# It writes
#   tests/data/small/{Y,X1,X2,X3}.csv          n = 9, directed, complete
#   tests/data/small_missing/{Y,X1,X2,X3}.csv  as small/, ~8% NA in Y and in X2
#   tests/data/small_sym/{Y,X1,X2}.csv         n = 10, symmetric (mode "graph")
#   tests/golden/sna/perms_n9.txt, perms_n10.txt, perms_n58.txt
#   tests/golden/sna/regress.csv
#   tests/golden/sna/correlate.csv
#   tests/golden/sna/regress_fixture_850511_export.csv  (only if the fixture exists)
#
# The C++ tests only read these files; they never call R.  See README.md next
# to this script for the file formats.
#
# How the permutation counts are obtained, and why they can be trusted:
#   sna::netlm draws its own permutations and only reports p-values, and it
#   draws different permutations for every coefficient.  The C++ tests need
#   counts for a FIXED, shared list of permutations (the perms_n*.txt files),
#   so this script re-implements netlm's permutation loops operation by
#   operation (same vectorisation, same listwise deletion, same QR calls, same
#   t formula) and feeds them the file's permutations.  Before trusting that
#   re-implementation it is checked against sna itself: netlm/qaptest are run
#   with set.seed(s), the permutations they drew are re-created by replaying
#   the same sample() calls after set.seed(s), and the re-implementation must
#   reproduce netlm's whole null distribution ($dist) bit for bit and its
#   p-values ($pgreq, $pleeq, $pgreqabs) exactly (stopifnot).
#
# Everything is deterministic: every random step has its own set.seed().
# Only base R, stats, utils and sna are used.
# -----------------------------------------------------------------------------

suppressPackageStartupMessages(library(sna))

## ---- 0. Locations and constants ----------------------------------------------

script_path <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) normalizePath(f) else normalizePath("tests/golden/sna/make_golden.R")
})
golden_dir <- dirname(script_path)
root <- normalizePath(file.path(golden_dir, "..", "..", ".."))
data_dir <- file.path(root, "tests", "data")
fixture_dir <- file.path(root, "fixtures", "rare-earth-2023", "850511", "export")

TOL <- 1e-7       # netlm's default qr tolerance; every fit below uses it
REPS_SMALL <- 400 # permutations per file for n = 9 and n = 10
REPS_FIXTURE <- 200

cat("sna version:", as.character(packageVersion("sna")), "\n")
cat(R.version.string, "\n")
cat("RNG kind:", paste(RNGkind(), collapse = " / "), "\n")
if (packageVersion("sna") != "2.7.1") {
  warning("golden files were designed against sna 2.7-1; found ",
          as.character(packageVersion("sna")),
          ". The verification below still guards against differences.")
}
# sample() changed in R 3.6.0 ("Rejection"); pin the RNG so the files are
# reproducible regardless of the user's settings.
RNGkind("Mersenne-Twister", "Inversion", "Rejection")

## ---- 1. Small helpers: formatting, CSV I/O, warnings -------------------------

# 17 significant digits round-trip every double exactly.  "+ 0" turns -0 into 0.
fmt_num <- function(x) {
  out <- sprintf("%.17g", x + 0)
  out[is.na(x)] <- "NA"
  out
}
# Integers for count columns; NA becomes an empty field.
fmt_int <- function(x) ifelse(is.na(x), "", as.character(as.integer(x)))

# RFC 4180: quote a field if it contains a comma, a double quote or a line
# break; double any embedded quote.
csv_field <- function(s) {
  s <- enc2utf8(as.character(s))
  need <- grepl("[\",\r\n]", s)
  s[need] <- paste0("\"", gsub("\"", "\"\"", s[need]), "\"")
  s
}

# Write lines as UTF-8 with LF endings on every platform (binary connection).
write_lines_lf <- function(lines, path) {
  dir.create(dirname(path), recursive = TRUE, showWarnings = FALSE)
  con <- file(path, open = "wb")
  on.exit(close(con))
  writeLines(enc2utf8(lines), con, sep = "\n", useBytes = TRUE)
  invisible(path)
}

write_csv_table <- function(df, path) {
  # Convert column by column: as.matrix() on a data frame pads numbers.
  cols <- lapply(df, function(col) csv_field(as.character(col)))
  lines <- c(paste(csv_field(names(df)), collapse = ","),
             do.call(paste, c(cols, sep = ",")))
  write_lines_lf(lines, path)
}

# Labelled square matrix: corner cell empty, then column labels; each row =
# row label then values.  Diagonal written as 0; missing cells as NA.
write_matrix_csv <- function(M, labels, path) {
  stopifnot(nrow(M) == ncol(M), length(labels) == nrow(M))
  diag(M) <- 0
  lines <- c(paste(c("", csv_field(labels)), collapse = ","),
             vapply(seq_len(nrow(M)), function(i)
               paste(c(csv_field(labels[i]), fmt_num(M[i, ])), collapse = ","), ""))
  write_lines_lf(lines, path)
}

# Decimal string -> double, CORRECTLY ROUNDED (as C++ std::from_chars/strtod).
# R's own as.numeric()/read.csv() is not always correctly rounded: it scales
# the digits in long double and then rounds again to double, and about 1 in
# 6000 of the '%.10g' numbers in fixtures/rare-earth-2023 come out 1 ulp off
# (e.g. "0.0365557").  Goldens must be computed from the doubles the C++
# engine reads, so use Clinger's fast path: a mantissa of at most 15 digits is
# an exact double, 10^k (k <= 22) is an exact double, and one IEEE double
# multiplication or division of two exact values is correctly rounded.
# Anything outside the fast path (e.g. our own 17-digit values) falls back to
# as.numeric(); for those, section 2 checks the round trip with identical().
POW10 <- cumprod(rep(10, 22))            # 1e1 .. 1e22, all exact
n_fast_path_fixes <- 0L
parse_decimal <- function(s) {
  s <- trimws(s)
  # groups: 2 sign, 3 integer digits, 5 fraction digits, 7 exponent
  m <- regmatches(s, regexec("^([+-]?)([0-9]*)(\\.([0-9]*))?([eE]([+-]?[0-9]+))?$", s))
  slow <- suppressWarnings(as.numeric(s))
  out <- slow
  for (i in seq_along(s)) {
    p <- m[[i]]
    if (length(p) == 0 || (p[3] == "" && p[5] == "")) next   # not a plain decimal
    digits <- sub("^0+", "", paste0(p[3], p[5]))
    k <- (if (p[7] == "") 0L else as.integer(p[7])) - nchar(p[5])
    if (nchar(digits) > 15 || abs(k) > 22) next              # outside the fast path
    mant <- if (digits == "") 0 else as.numeric(digits)      # exact integer < 2^53
    v <- if (k > 0) mant * POW10[k] else if (k < 0) mant / POW10[-k] else mant
    if (p[2] == "-") v <- -v
    out[i] <- v
  }
  n_fast_path_fixes <<- n_fast_path_fixes + sum(out != slow, na.rm = TRUE)
  out
}
stopifnot(identical(parse_decimal(c("0.0365557", "5.3e-05", "-12", "1e5", "0", "2.5E+3")),
                    c(365557 / 1e7, 53 / 1e6, -12, 1e5, 0, 2500)))
n_fast_path_fixes <- 0L   # do not count the self-test above

# Read a labelled square matrix written by anyone following the same format.
# Columns are put in the order of the row labels, so M[i, j] is always the
# cell (row label i, column label i_j) with one shared label order.
read_matrix_csv <- function(path) {
  raw <- utils::read.csv(path, header = FALSE, colClasses = "character",
                         na.strings = character(0), strip.white = TRUE,
                         quote = "\"", comment.char = "", check.names = FALSE,
                         fileEncoding = "UTF-8-BOM", encoding = "UTF-8")
  raw <- as.matrix(raw)
  col_labels <- raw[1, -1]
  row_labels <- raw[-1, 1]
  cells <- raw[-1, -1, drop = FALSE]
  if (nrow(cells) != ncol(cells)) stop(path, ": matrix is not square")
  if (anyDuplicated(row_labels) || anyDuplicated(col_labels)) stop(path, ": duplicate labels")
  if (!setequal(row_labels, col_labels)) stop(path, ": row and column labels differ")
  missing_cell <- cells %in% c("NA", "", "NaN")
  vals <- rep(NA_real_, length(cells))
  vals[!missing_cell] <- parse_decimal(cells[!missing_cell])
  if (anyNA(vals[!missing_cell])) stop(path, ": unparseable number")
  M <- matrix(vals, nrow(cells), ncol(cells), dimnames = list(row_labels, col_labels))
  M[row_labels, row_labels]
}

# Evaluate expr, collect (and silence) its warnings, print them once.
collected_warnings <- character(0)
quietly <- function(expr, context) {
  ws <- character(0)
  val <- withCallingHandlers(expr, warning = function(w) {
    ws <<- c(ws, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  if (length(ws)) {
    msgs <- unique(ws)
    for (m in msgs) cat("  [warning recorded] ", context, ": ", m, "\n", sep = "")
    collected_warnings <<- unique(c(collected_warnings, paste0(context, ": ", msgs)))
  }
  val
}

## ---- 2. Test data -----------------------------------------------------------

# Labels n01..nNN with one awkward label: it contains a comma (so it must be
# quoted in the CSV) and a space, like the World Bank's "Korea, Rep.".
make_labels <- function(n) {
  lab <- sprintf("n%02d", seq_len(n))
  lab[5] <- "Korea, Rep."
  lab
}
offdiag_matrix <- function(n, draw) {   # n x n matrix of draws, diagonal 0
  M <- matrix(draw(n * n), n, n)
  diag(M) <- 0
  M
}
symmetric_matrix <- function(n, draw) { # symmetric; lower triangle drawn
  M <- matrix(0, n, n)
  M[lower.tri(M)] <- draw(n * (n - 1) / 2)
  M[upper.tri(M)] <- t(M)[upper.tri(M)]
  M
}

# small: n = 9, directed.  The three regressors come from different
# distributions (normal, uniform, exponential) so they are nearly
# uncorrelated and the design is well conditioned.  True model:
# Y = 1 + 0.8 X1 - 0.5 X2 + 0 X3 + N(0, 1).
set.seed(20250901)
n9 <- 9
lab9 <- make_labels(n9)
small <- list()
small$X1 <- offdiag_matrix(n9, function(k) rnorm(k, 0, 1))
small$X2 <- offdiag_matrix(n9, function(k) runif(k, 0, 4))
small$X3 <- offdiag_matrix(n9, function(k) rexp(k, 1))
small$Y  <- 1 + 0.8 * small$X1 - 0.5 * small$X2 + 0 * small$X3 +
            offdiag_matrix(n9, function(k) rnorm(k, 0, 1))
diag(small$Y) <- 0

# small_missing: same values, ~8% of the 72 off-diagonal cells missing in Y
# and ~8% in X2, in disjoint cells (so listwise deletion removes 12 dyads).
set.seed(20250902)
small_missing <- small
off9 <- which(row(small$Y) != col(small$Y))
n_na <- round(0.08 * length(off9))                  # 6 cells
na_y <- sample(off9, n_na)
na_x2 <- sample(setdiff(off9, na_y), n_na)
small_missing$Y[na_y] <- NA
small_missing$X2[na_x2] <- NA

# small_sym: n = 10, symmetric, analysed in mode "graph" (lower triangle).
set.seed(20250903)
n10 <- 10
lab10 <- make_labels(n10)
small_sym <- list()
small_sym$X1 <- symmetric_matrix(n10, function(k) rnorm(k, 0, 1))
small_sym$X2 <- symmetric_matrix(n10, function(k) runif(k, 0, 4))
small_sym$Y  <- 1 + 0.8 * small_sym$X1 - 0.5 * small_sym$X2 +
                symmetric_matrix(n10, function(k) rnorm(k, 0, 1))
diag(small_sym$Y) <- 0

write_case <- function(mats, labels, dir) {
  for (nm in names(mats)) write_matrix_csv(mats[[nm]], labels, file.path(dir, paste0(nm, ".csv")))
}
write_case(small[c("Y", "X1", "X2", "X3")], lab9, file.path(data_dir, "small"))
write_case(small_missing[c("Y", "X1", "X2", "X3")], lab9, file.path(data_dir, "small_missing"))
write_case(small_sym[c("Y", "X1", "X2")], lab10, file.path(data_dir, "small_sym"))

# Read the files back and use THOSE values from here on: the goldens are then
# computed from exactly what the C++ tests will read.  %.17g must round-trip.
read_case <- function(dir, names) {
  out <- lapply(names, function(nm) read_matrix_csv(file.path(dir, paste0(nm, ".csv"))))
  names(out) <- names
  out
}
check_roundtrip <- function(mem, disk, labels) {
  for (nm in names(disk)) {
    stopifnot(identical(rownames(disk[[nm]]), labels))
    stopifnot(identical(unname(disk[[nm]]), unname(mem[[nm]])))
  }
}
cases <- list(
  small = list(mats = read_case(file.path(data_dir, "small"), c("Y", "X1", "X2", "X3")),
               mode = "digraph", perms = "perms_n9.txt"),
  small_missing = list(mats = read_case(file.path(data_dir, "small_missing"), c("Y", "X1", "X2", "X3")),
                       mode = "digraph", perms = "perms_n9.txt"),
  small_sym = list(mats = read_case(file.path(data_dir, "small_sym"), c("Y", "X1", "X2")),
                   mode = "graph", perms = "perms_n10.txt"))
check_roundtrip(small, cases$small$mats, lab9)
check_roundtrip(small_missing, cases$small_missing$mats, lab9)
check_roundtrip(small_sym, cases$small_sym$mats, lab10)
stopifnot(isSymmetric(unname(cases$small_sym$mats$Y)))
cat("test data written and read back identically\n")

## ---- 3. Permutation files -----------------------------------------------------

# One permutation per line; row m of the returned matrix is permutation m.
draw_perms <- function(reps, n) {
  P <- matrix(0L, reps, n)
  for (m in seq_len(reps)) P[m, ] <- sample(1:n)   # exactly rmperm's call
  P
}
write_perms <- function(P, path, seed) {
  n <- ncol(P)
  header <- c(
    sprintf("# %d random permutations of 1..%d, drawn with R's sample(1:%d) after set.seed(%d)",
            nrow(P), n, n, seed),
    sprintf("# (%s, RNGkind %s); written by tests/golden/sna/make_golden.R.",
            R.version.string, paste(RNGkind(), collapse = "/")),
    "# Line m is permutation pi; the permuted matrix is M[pi, pi] as in R, 1-based:",
    "#   permuted[i, j] = M[pi[i], pi[j]]   (m counts permutation lines only, 1..reps).",
    "# Lines starting with '#' are comments; values are separated by single spaces.")
  write_lines_lf(c(header, apply(P, 1, paste, collapse = " ")), path)
}
read_perms <- function(path) {
  l <- readLines(path, encoding = "UTF-8")
  l <- l[!grepl("^#", l) & nzchar(l)]
  P <- do.call(rbind, lapply(strsplit(l, " ", fixed = TRUE), as.integer))
  stopifnot(all(apply(P, 1, function(p) identical(sort(p), seq_along(p)))))
  P
}
PERM_SEEDS <- c(perms_n9.txt = 20250911L, perms_n10.txt = 20250912L, perms_n58.txt = 20250913L)
perm_spec <- list(perms_n9.txt = c(REPS_SMALL, n9), perms_n10.txt = c(REPS_SMALL, n10),
                  perms_n58.txt = c(REPS_FIXTURE, 58))
for (f in names(perm_spec)) {
  set.seed(PERM_SEEDS[[f]])
  P <- draw_perms(perm_spec[[f]][1], perm_spec[[f]][2])
  write_perms(P, file.path(golden_dir, f), PERM_SEEDS[[f]])
  stopifnot(identical(read_perms(file.path(golden_dir, f)), P))
}
cat("permutation files written\n")

## ---- 4. A line-by-line mirror of netlm's internals ------------------------------
#
# netlm builds a list g = (Y, J, X1, ..., Xp) with J the all-ones matrix (the
# intercept "graph"), vectorises each matrix with gvectorize(censor.as.na=TRUE)
# -- which keeps all n^2 cells in column-major order but sets the diagonal
# (and, in mode "graph", the upper triangle) to NA -- and drops every row with
# an NA anywhere (listwise deletion).  Cell k of the vector is cell k of the
# matrix, which the corrected DSP below relies on.

vec <- function(M, mode) gvectorize(M, mode = mode, diag = FALSE, censor.as.na = TRUE)

design_list <- function(Y, Xs) {
  n <- nrow(Y)
  c(list(unname(Y), matrix(1, n, n)), lapply(Xs, unname))
}

# Same as netlm's gfit(glist, rety = FALSE): the statistic vector for the fit
# of glist[[1]] on glist[-1].  statistic "t" mirrors netlm's gettval (note its
# t formula groups the arithmetic as diag(cvm) * (rss / rdf), slightly
# differently from the observed-fit formula), "beta" mirrors qr.solve.
fit_stat <- function(glist, mode, statistic, tol = TOL) {
  y <- vec(glist[[1]], mode)
  x <- vector()
  for (k in 2:length(glist)) x <- cbind(x, vec(glist[[k]], mode))
  if (!is.matrix(x)) x <- matrix(x, ncol = 1)
  mis <- is.na(y) | apply(is.na(x), 1, any)
  if (statistic == "beta") return(as.vector(qr.solve(x[!mis, ], y[!mis], tol = tol)))
  xqr <- qr(x[!mis, ], tol = tol)
  yy <- y[!mis]
  coef <- qr.coef(xqr, yy)
  resid <- qr.resid(xqr, yy)
  rdf <- length(yy) - xqr$rank
  resvar <- sum(resid^2) / rdf
  cvm <- chol2inv(xqr$qr)
  se <- sqrt(diag(cvm) * resvar)
  as.vector(coef / se)
}

# Permutation null "y" (netlm "qapy"): permute Y (its NA cells move with it),
# refit, keep all coefficients.  P: reps x n; returns reps x nx.
null_y <- function(g, P, mode, statistic) {
  nx <- length(g) - 1
  out <- matrix(NA_real_, nrow(P), nx)
  for (m in seq_len(nrow(P))) {
    p <- P[m, ]
    gr <- g
    gr[[1]] <- g[[1]][p, p]
    out[m, ] <- fit_stat(gr, mode, statistic)
  }
  out
}

# Permutation null "x" (netlm "qapx"): permute X_i alone (with its NA cells),
# refit, keep coefficient i.  Psets[[i]] is the reps x n matrix of
# permutations used for coefficient i (for the goldens: the same file for all
# i; for the check against netlm: the composed draws, see section 5).
null_x <- function(g, Psets, mode, statistic) {
  nx <- length(g) - 1
  out <- matrix(NA_real_, nrow(Psets[[1]]), nx)
  for (i in seq_len(nx)) {
    P <- Psets[[i]]
    for (m in seq_len(nrow(P))) {
      p <- P[m, ]
      gr <- g
      gr[[1 + i]] <- g[[1 + i]][p, p]
      out[m, i] <- fit_stat(gr, mode, statistic)[i]
    }
  }
  out
}

# Permutation null "dsp": Dekker's double semi-partialling (netlm "qapspp").
# For coefficient i: regress X_i on the other columns (intercept included),
# put the residuals in an n x n matrix E, then for each permutation refit
# Y ~ (other columns) + E[pi, pi] and keep the t (or beta) of the last column.
#
# variant = "sna" reproduces netlm exactly, including its behaviour with
#   missing data: the residualising fit drops dyads where an X is missing but
#   NOT where only Y is missing, and `xres[xsel] <- qr.resid(...)` then writes
#   the (shorter) residual vector into ALL off-diagonal cells, recycling it
#   (R warns "number of items to replace is not a multiple of replacement
#   length" when the lengths do not divide).  Residuals thus land on the
#   wrong dyads.
# variant = "corrected" residualises on the dyads used by the observed fit
#   (Y and every X observed), stores each residual at its own dyad and NA
#   everywhere else; the NA cells travel with the permutation and the refit
#   is listwise.  With complete data both variants are the same computation
#   (identical numbers); at the identity permutation the corrected variant
#   reproduces the observed t exactly (Frisch-Waugh-Lovell).
null_dsp <- function(g, Psets, mode, statistic, variant = c("corrected", "sna")) {
  variant <- match.arg(variant)
  nx <- length(g) - 1
  n <- nrow(g[[1]])
  v <- lapply(g, vec, mode = mode)
  out <- matrix(NA_real_, nrow(Psets[[1]]), nx)
  for (i in seq_len(nx)) {
    others <- (1:nx)[-i]
    yv <- v[[1 + i]]
    x <- vector()
    for (k in others) x <- cbind(x, v[[1 + k]])
    if (!is.matrix(x)) x <- matrix(x, ncol = 1)
    mis <- is.na(yv) | apply(is.na(x), 1, any)
    if (variant == "corrected") mis <- mis | is.na(v[[1]])
    xqr <- qr(x[!mis, ], tol = TOL)
    res <- qr.resid(xqr, yv[!mis])
    if (variant == "sna") {
      xsel <- matrix(TRUE, n, n)
      diag(xsel) <- FALSE
      if (mode == "graph") xsel[upper.tri(xsel)] <- FALSE
      xres <- g[[1 + i]]
      xres[xsel] <- res               # recycles when length(res) < sum(xsel)
    } else {
      xres <- matrix(NA_real_, n, n)
      xres[which(!mis)] <- res        # vector cell k == matrix cell k
    }
    if (mode == "graph") xres[upper.tri(xres)] <- t(xres)[upper.tri(xres)]
    base <- g[-(1 + i)]
    P <- Psets[[i]]
    for (m in seq_len(nrow(P))) {
      p <- P[m, ]
      out[m, i] <- fit_stat(c(base, list(xres[p, p])), mode, statistic)[nx]
    }
  }
  out
}

# netlm's p-values use inclusive comparisons against the observed statistic.
count_tails <- function(dist, obs) {
  list(ge = colSums(sweep(dist, 2, obs, ">=")),
       le = colSums(sweep(dist, 2, obs, "<=")),
       abs = colSums(sweep(abs(dist), 2, abs(obs), ">=")))
}

# Smallest distance between a permuted statistic and the observed one (and
# between their absolute values), relative to max(1, |obs|): if this is tiny
# a count could flip under a different but equally valid floating-point path.
min_margin <- function(dist, obs) {
  sapply(seq_along(obs), function(i) {
    d <- dist[, i]
    if (all(is.na(d))) return(NA_real_)
    s <- max(1, abs(obs[i]))
    min(abs(d - obs[i]) / s, abs(abs(d) - abs(obs[i])) / s)
  })
}

# Observed fit from netlm (classical), cross-checked against lm().
observed_fit <- function(Y, Xs, xnames, mode, context) {
  fit <- quietly(netlm(Y, Xs, mode = mode, nullhyp = "classical", tol = TOL), context)
  fit_b <- quietly(netlm(Y, Xs, mode = mode, nullhyp = "classical", tol = TOL,
                         test.statistic = "beta"), context)
  nx <- length(Xs) + 1
  if (fit$rank != nx) stop(context, ": netlm's QR (tol = ", TOL, ") dropped a column")
  # R^2, adjusted R^2 and F exactly as sna's print.summary.netlm computes them.
  fv <- fit$fitted.values
  mss <- sum((fv - mean(fv))^2)
  rss <- sum(fit$residuals^2)
  qn <- NROW(fit$qr$qr)
  rdf <- qn - fit$rank
  resvar <- rss / rdf
  r2 <- mss / (mss + rss)
  adj <- 1 - (1 - r2) * ((qn - 1) / rdf)
  f <- (mss / (fit$rank - 1)) / resvar
  # Independent check with lm() on the same vectorised, listwise-complete data.
  df <- data.frame(y = as.vector(vec(Y, mode)))
  for (k in seq_along(Xs)) df[[xnames[k]]] <- as.vector(vec(Xs[[k]], mode))
  lmf <- lm(reformulate(sprintf("`%s`", xnames), "y"), data = df, na.action = na.omit)
  sm <- summary(lmf)
  stopifnot(isTRUE(all.equal(unname(coef(lmf)), as.vector(fit$coefficients), tolerance = 1e-10)),
            isTRUE(all.equal(unname(sm$coefficients[, "t value"]), as.vector(fit$tstat), tolerance = 1e-10)),
            isTRUE(all.equal(unname(sm$r.squared), r2, tolerance = 1e-10)),
            isTRUE(all.equal(unname(sm$adj.r.squared), adj, tolerance = 1e-10)),
            isTRUE(all.equal(unname(sm$fstatistic["value"]), f, tolerance = 1e-10)),
            nobs(lmf) == fit$n,
            identical(as.vector(fit_b$tstat), as.vector(fit$coefficients)))
  list(coef = as.vector(fit$coefficients), t = as.vector(fit$tstat), n = fit$n,
       r2 = r2, adj_r2 = adj, f = f, qr = fit$qr)
}

## ---- 5. Verification of the mirror against sna's own draws -------------------
#
# netlm calls rmperm() -- one sample(1:n) -- per replicate:
#   qapy:   reps draws, one per replicate;
#   qapx:   for i in 1..nx (intercept first) reps draws; NOTE that netlm
#           permutes the already-permuted matrix (gr[[i+1]] <- rmperm(gr[[i+1]]))
#           so replicate j uses the composition c_j = c_{j-1}[o_j] of all
#           draws so far for that coefficient, not o_j itself;
#   qapspp: for i in 1..nx (intercept first) reps draws, one per replicate.
# We replay the draws with the same seed, feed them to the mirror and demand
# bit-identical null distributions.

compose_draws <- function(P) {
  C <- P
  cur <- seq_len(ncol(P))
  for (j in seq_len(nrow(P))) {
    cur <- cur[P[j, ]]
    C[j, ] <- cur
  }
  C
}
split_draws <- function(P, nx, reps) lapply(seq_len(nx), function(i) P[(i - 1) * reps + seq_len(reps), , drop = FALSE])

verification_log <- character(0)
verify_netlm <- function(case_name, Y, Xs, mode, nullhyp, statistic, variant, reps, seed) {
  n <- nrow(Y)
  nx <- length(Xs) + 1
  g <- design_list(Y, Xs)
  ts <- if (statistic == "t") "t-value" else "beta"
  set.seed(seed)
  fit <- quietly(netlm(Y, Xs, mode = mode, nullhyp = nullhyp, reps = reps,
                       test.statistic = ts, tol = TOL),
                 sprintf("netlm(%s, %s)", case_name, nullhyp))
  set.seed(seed)
  mine <- switch(nullhyp,
    qapy = null_y(g, draw_perms(reps, n), mode, statistic),
    qapx = null_x(g, lapply(split_draws(draw_perms(nx * reps, n), nx, reps), compose_draws),
                  mode, statistic),
    qapspp = quietly(null_dsp(g, split_draws(draw_perms(nx * reps, n), nx, reps), mode,
                              statistic, variant = variant),
                     sprintf("mirror of qapspp (%s)", case_name)))
  same_dist <- identical(unname(mine), unname(fit$dist))
  cnt <- count_tails(mine, fit$tstat)
  same_p <- all(round(fit$pgreq * reps) == cnt$ge, abs(fit$pgreq - cnt$ge / reps) < 1e-12,
                round(fit$pleeq * reps) == cnt$le, abs(fit$pleeq - cnt$le / reps) < 1e-12,
                round(fit$pgreqabs * reps) == cnt$abs, abs(fit$pgreqabs - cnt$abs / reps) < 1e-12)
  what <- if (nullhyp == "qapspp") sprintf("%s (mirror: %s)", nullhyp, variant) else nullhyp
  msg <- sprintf("%-14s %-7s %-25s %-4s reps=%d seed=%d: $dist identical=%s, p-values identical=%s",
                 case_name, mode, what, statistic, reps, seed, same_dist, same_p)
  cat("  ", msg, "\n", sep = "")
  verification_log <<- c(verification_log, msg)
  if (!same_dist) {
    cat("    max |diff| =", max(abs(mine - fit$dist)), "\n")
    stop("mirror does not reproduce netlm for ", msg)
  }
  stopifnot(same_p)
  invisible(TRUE)
}

cat("verifying the mirror against sna::netlm's own permutations:\n")
xnames_of <- function(case) setdiff(names(case$mats), "Y")
vseed <- 20250920L
for (cn in names(cases)) {
  cs <- cases[[cn]]
  Xs <- cs$mats[xnames_of(cs)]
  for (nh in c("qapy", "qapx", "qapspp")) {
    vseed <- vseed + 1L
    verify_netlm(cn, cs$mats$Y, Xs, cs$mode, nh, "t", variant = "sna", reps = REPS_SMALL, seed = vseed)
  }
  for (nh in c("qapy", "qapspp")) {
    vseed <- vseed + 1L
    verify_netlm(cn, cs$mats$Y, Xs, cs$mode, nh, "beta", variant = "sna", reps = REPS_SMALL, seed = vseed)
  }
  if (!anyNA(unlist(cs$mats))) {
    # With complete data the corrected DSP must be the very same computation.
    vseed <- vseed + 1L
    verify_netlm(cn, cs$mats$Y, Xs, cs$mode, "qapspp", "t", variant = "corrected",
                 reps = REPS_SMALL, seed = vseed)
  }
}

## ---- 6. Golden regression results --------------------------------------------

REGRESS_COLS <- c("case", "null", "mode", "statistic", "variable", "coefficient", "t",
                  "reps", "count_ge", "count_le", "count_abs", "n_dyads", "r2", "adj_r2", "f")

rows_for <- function(case_name, null, mode, statistic, vars, obs, dist, test_intercept) {
  nx <- length(vars)
  stat_obs <- if (statistic == "beta") obs$coef else obs$t
  if (is.null(dist)) {   # classical: no permutation counts
    cnt <- list(ge = rep(NA, nx), le = rep(NA, nx), abs = rep(NA, nx))
    reps <- rep(NA, nx)
  } else {
    cnt <- count_tails(dist, stat_obs)
    reps <- rep(nrow(dist), nx)
    if (!test_intercept) {   # our engine does not test the intercept under x / dsp
      cnt$ge[1] <- NA; cnt$le[1] <- NA; cnt$abs[1] <- NA; reps[1] <- NA
    }
  }
  data.frame(case = case_name, null = null, mode = mode, statistic = statistic,
             variable = vars, coefficient = fmt_num(obs$coef), t = fmt_num(obs$t),
             reps = fmt_int(reps), count_ge = fmt_int(cnt$ge), count_le = fmt_int(cnt$le),
             count_abs = fmt_int(cnt$abs), n_dyads = obs$n,
             r2 = fmt_num(obs$r2), adj_r2 = fmt_num(obs$adj_r2), f = fmt_num(obs$f),
             stringsAsFactors = FALSE)
}

margins <- list()
note_margin <- function(label, dist, stat_obs, skip_intercept) {
  mm <- min_margin(dist, stat_obs)
  if (skip_intercept) mm[1] <- NA
  margins[[label]] <<- mm
}

# Runs every requested null for one case; returns the rows.
regress_case <- function(case_name, Y, Xs, mode, P, nulls, extra = list(), dsp_check = TRUE) {
  xnames <- names(Xs)
  vars <- c("(intercept)", xnames)
  nx <- length(vars)
  g <- design_list(Y, Xs)
  obs <- observed_fit(Y, unname(Xs), xnames, mode, sprintf("netlm(%s, classical)", case_name))
  same <- rep(list(P), nx)
  out <- list(rows_for(case_name, "classical", mode, "t", vars, obs, NULL, TRUE))
  dists <- list()
  for (nl in nulls) {
    st <- nl$statistic
    dist <- switch(nl$null,
      y = null_y(g, P, mode, st),
      x = null_x(g, same, mode, st),
      dsp = null_dsp(g, same, mode, st, "corrected"),
      dsp_sna_buggy = quietly(null_dsp(g, same, mode, st, "sna"),
                              sprintf("sna-style qapspp on %s", case_name)))
    test_int <- nl$null == "y"
    stat_obs <- if (st == "beta") obs$coef else obs$t
    note_margin(sprintf("%s/%s/%s", case_name, nl$null, st), dist, stat_obs, !test_int)
    dists[[paste(nl$null, st, sep = "/")]] <- dist
    out[[length(out) + 1]] <- rows_for(case_name, nl$null, mode, st, vars, obs, dist, test_int)
  }
  if (dsp_check) {
    # Frisch-Waugh-Lovell: at the identity permutation the corrected DSP refit
    # must give back the observed t of every regressor.
    id <- null_dsp(g, rep(list(matrix(seq_len(nrow(Y)), 1)), nx), mode, "t", "corrected")
    stopifnot(isTRUE(all.equal(as.vector(id[1, -1]), obs$t[-1], tolerance = 1e-10)))
  }
  list(rows = do.call(rbind, out), obs = obs, dists = dists)
}

cat("computing golden regression results\n")
std_nulls <- list(list(null = "y", statistic = "t"), list(null = "x", statistic = "t"),
                  list(null = "dsp", statistic = "t"))
P9 <- read_perms(file.path(golden_dir, "perms_n9.txt"))
P10 <- read_perms(file.path(golden_dir, "perms_n10.txt"))
reg <- list()
reg$small <- regress_case("small", cases$small$mats$Y, cases$small$mats[c("X1", "X2", "X3")],
                          "digraph", P9,
                          c(std_nulls, list(list(null = "y", statistic = "beta"),
                                            list(null = "dsp", statistic = "beta"))))
reg$small_missing <- regress_case("small_missing", cases$small_missing$mats$Y,
                                  cases$small_missing$mats[c("X1", "X2", "X3")], "digraph", P9,
                                  c(std_nulls, list(list(null = "dsp_sna_buggy", statistic = "t"))))
reg$small_sym <- regress_case("small_sym", cases$small_sym$mats$Y,
                              cases$small_sym$mats[c("X1", "X2")], "graph", P10, std_nulls)
# How far sna's recycling bug moves the DSP null distribution on small_missing.
dd <- abs(reg$small_missing$dists[["dsp/t"]] - reg$small_missing$dists[["dsp_sna_buggy/t"]])
cat(sprintf("  small_missing: corrected vs sna-buggy DSP t*: %s replicates differ (of %d); max |diff| per X: %s\n",
            paste(colSums(dd[, -1] > 1e-12), collapse = "/"), nrow(dd),
            paste(sprintf("%.3g", apply(dd[, -1], 2, max)), collapse = " ")))
regress <- do.call(rbind, lapply(reg, `[[`, "rows"))
stopifnot(identical(names(regress), REGRESS_COLS))
write_csv_table(regress, file.path(golden_dir, "regress.csv"))
cat("wrote regress.csv (", nrow(regress), " rows)\n", sep = "")

## ---- 7. Golden QAP correlation -------------------------------------------------
#
# sna::qaptest(list(Y, X), gcor, g1 = 1, g2 = 2) turns the list into a 2 x n x n
# array and, per replicate, calls rmperm() on the array, which permutes EACH
# slice with its own sample(1:n) (slice 1 = Y first, then slice 2 = X).  The
# statistic is gcor: cor(..., use = "complete.obs") over the off-diagonal
# (mode "graph": lower-triangle) cells.  Only pgreq and pleeq are returned.
# Permuting both matrices independently is equivalent in distribution to
# permuting only Y; the goldens permute only Y (as the engine does), with the
# file's permutations.  The mirror is checked against qaptest's own draws
# (Y and X both permuted) first.

gcor_pair <- function(A, B, mode) {
  n <- nrow(A)
  arr <- array(dim = c(2, n, n))
  arr[1, , ] <- A
  arr[2, , ] <- B
  gcor(arr, g1 = 1, g2 = 2, mode = mode, diag = FALSE)
}
verify_qaptest <- function(case_name, Y, X, mode, reps, seed) {
  n <- nrow(Y)
  Y <- unname(Y); X <- unname(X)
  set.seed(seed)
  q <- qaptest(list(Y, X), gcor, g1 = 1, g2 = 2, reps = reps, mode = mode)
  set.seed(seed)
  D <- draw_perms(2 * reps, n)
  mine <- vapply(seq_len(reps), function(k) {
    py <- D[2 * k - 1, ]; px <- D[2 * k, ]
    gcor_pair(Y[py, py], X[px, px], mode)
  }, 0)
  ok_dist <- identical(mine, q$dist)
  ok_p <- isTRUE(all.equal(q$pgreq, mean(mine >= q$testval), tolerance = 0)) &&
          isTRUE(all.equal(q$pleeq, mean(mine <= q$testval), tolerance = 0))
  msg <- sprintf("%-17s %-7s qaptest(gcor) reps=%d seed=%d: $dist identical=%s, p-values identical=%s",
                 case_name, mode, reps, seed, ok_dist, ok_p)
  cat("  ", msg, "\n", sep = "")
  verification_log <<- c(verification_log, msg)
  stopifnot(ok_dist, ok_p)
}

cat("verifying the correlation mirror against sna::qaptest's own permutations:\n")
corr_pairs <- list(small = c("X1", "X2"), small_missing = c("X1", "X2"), small_sym = c("X1", "X2"))
for (cn in names(corr_pairs)) for (xn in corr_pairs[[cn]]) {
  vseed <- vseed + 1L
  verify_qaptest(paste0(cn, ":Y~", xn), cases[[cn]]$mats$Y, cases[[cn]]$mats[[xn]], cases[[cn]]$mode, REPS_SMALL, vseed)
}

corr_rows <- list()
for (cn in names(corr_pairs)) for (xn in corr_pairs[[cn]]) {
  cs <- cases[[cn]]
  Y <- unname(cs$mats$Y); X <- unname(cs$mats[[xn]])
  P <- if (cs$perms == "perms_n9.txt") P9 else P10
  r <- gcor_pair(Y, X, cs$mode)
  # gcor handles NA through cor(use = "complete.obs"), i.e. listwise over the
  # pair; check against cor() on gvectorize'd data.
  r_cor <- cor(as.vector(vec(Y, cs$mode)), as.vector(vec(X, cs$mode)), use = "complete.obs")
  stopifnot(isTRUE(all.equal(r, r_cor, tolerance = 1e-14)))
  dist <- vapply(seq_len(nrow(P)), function(m) { p <- P[m, ]; gcor_pair(Y[p, p], X, cs$mode) }, 0)
  note_margin(sprintf("corr %s/%s", cn, xn), matrix(dist), r, FALSE)
  corr_rows[[length(corr_rows) + 1]] <- data.frame(
    case = cn, x = xn, y = "Y", mode = cs$mode, r = fmt_num(r), reps = nrow(P),
    count_ge = sum(dist >= r), count_le = sum(dist <= r), count_abs = sum(abs(dist) >= abs(r)),
    stringsAsFactors = FALSE)
}
correlate <- do.call(rbind, corr_rows)
write_csv_table(correlate, file.path(golden_dir, "correlate.csv"))
cat("wrote correlate.csv (", nrow(correlate), " rows)\n", sep = "")

## ---- 8. Main fixture: rare-earth-2023 / HS 850511 / export ---------------------

fixture_files <- c(Y = "REE", "TPR", "PGDP", "TD", "ECI", "WGI")
fixture_paths <- file.path(fixture_dir, paste0(fixture_files, ".csv"))
if (all(file.exists(fixture_paths))) {
  cat("fixture found: ", fixture_dir, "\n", sep = "")
  fx <- lapply(fixture_paths, read_matrix_csv)
  names(fx) <- fixture_files
  ref <- rownames(fx$REE)   # every matrix is put in REE.csv's label order
  for (nm in fixture_files) {
    if (!setequal(rownames(fx[[nm]]), ref)) stop("fixture ", nm, ": node set differs from REE.csv")
    fx[[nm]] <- fx[[nm]][ref, ref]
  }
  n58 <- length(ref)
  P58 <- read_perms(file.path(golden_dir, "perms_n58.txt"))
  stopifnot(ncol(P58) == n58)
  fx_X <- fx[fixture_files[-1]]
  cat("  n =", n58, "; missing off-diagonal cells per file:",
      paste(sprintf("%s=%d", names(fx), sapply(fx, function(M) sum(is.na(M[row(M) != col(M)])))),
            collapse = " "), "\n")
  # Columns of very different scale (PGDP up to ~1e5 next to 0/1 ECI):
  # netlm's qr(tol = 1e-7) is column-pivoting LINPACK dqrdc2, which drops a
  # column only if its norm after projection falls below tol times its
  # original norm -- a scale-free test.  Report the margin.
  fxg <- design_list(fx$REE, fx_X)
  Xd <- do.call(cbind, lapply(fxg[-1], function(M) as.vector(vec(M, "digraph"))))
  cc <- complete.cases(Xd) & !is.na(as.vector(vec(fx$REE, "digraph")))
  qx <- qr(Xd[cc, ], tol = TOL)
  ratio <- abs(diag(qr.R(qx))) / sqrt(colSums(Xd[cc, qx$pivot]^2))
  cat(sprintf("  QR rank %d of %d; min |R_kk| / ||x_k|| = %.3g (tol %.0e); kappa = %.3g\n",
              qx$rank, ncol(Xd), min(ratio), TOL, kappa(Xd[cc, ], exact = TRUE)))
  stopifnot(qx$rank == ncol(Xd), min(ratio) > 1e3 * TOL)
  # Check the mirror against netlm on this design too (cheap at 200 reps).
  cat("  verifying the mirror against netlm on the fixture:\n")
  for (nh in c("qapy", "qapspp")) {
    vseed <- vseed + 1L
    verify_netlm("fixture", fx$REE, unname(fx_X), "digraph", nh, "t",
                 variant = if (anyNA(unlist(fx))) "sna" else "corrected",
                 reps = REPS_FIXTURE, seed = vseed)
  }
  fres <- regress_case("rare_earth_2023_850511_export", fx$REE, fx_X, "digraph", P58,
                       list(list(null = "y", statistic = "t"), list(null = "dsp", statistic = "t")))
  write_csv_table(fres$rows, file.path(golden_dir, "regress_fixture_850511_export.csv"))
  cat("wrote regress_fixture_850511_export.csv (", nrow(fres$rows), " rows)\n", sep = "")
} else {
  cat("fixture NOT found (missing: ",
      paste(basename(fixture_paths[!file.exists(fixture_paths)]), collapse = ", "),
      "); regress_fixture_850511_export.csv not written\n", sep = "")
}

## ---- 9. Summary ------------------------------------------------------------------

cat("\nsmallest relative margin |stat* - stat_obs| / max(1, |stat_obs|) per golden row set\n")
cat("(also over |stat*| vs |stat_obs|); larger is safer against floating-point flips:\n")
for (nm in names(margins)) cat(sprintf("  %-40s %s\n", nm, paste(sprintf("%.2e", margins[[nm]]), collapse = " ")))
all_m <- unlist(margins)
cat(sprintf("overall minimum margin: %.3g\n", min(all_m, na.rm = TRUE)))
if (min(all_m, na.rm = TRUE) < 1e-9) warning("a permuted statistic lies within 1e-9 of the observed one")

cat(sprintf("\nnumbers whose correctly rounded value differs from R's as.numeric(): %d\n",
            n_fast_path_fixes))
cat("\nwarnings recorded (expected, see README):\n")
for (w in collected_warnings) cat("  ", w, "\n", sep = "")
cat("\nall verifications passed:\n")
for (v in verification_log) cat("  ", v, "\n", sep = "")
