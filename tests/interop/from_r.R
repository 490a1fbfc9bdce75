# The "From R" page (docs/from-r.md), run: R writes qap's inputs the ways an
# R user does, qap reads them, R reads qap's CSV back and checks the numbers
# against lm() on the same dyads. ctest runs it when Rscript is installed:
#   Rscript tests/interop/from_r.R path/to/qap WORK_FOLDER
args <- commandArgs(trailingOnly = TRUE)
qap <- args[1]
dir <- args[2]
dir.create(dir, showWarnings = FALSE, recursive = TRUE)
path <- function(name) file.path(dir, name)
run <- function(...) {
  status <- system2(qap, c(...))
  if (status != 0) stop("qap ", paste(c(...), collapse = " "), " exited with ", status)
}

set.seed(7)
ids <- c("CHN", "DEU", "USA", "JPN", "KOR", "IND", "BRA")
n <- length(ids)
square <- function(values) matrix(values, n, n, dimnames = list(ids, ids))
dist <- square(round(runif(n * n, 1, 20), 3))
rta <- square(rbinom(n * n, 1, 0.4))
trade <- square(round(2 + 0.3 * dist - 1.5 * rta + rnorm(n * n), 4))
trade["USA", "CHN"] <- NA  # a flow not reported

# 1. One labelled matrix per variable: write.csv with dimnames.
write.csv(trade, path("trade.csv"))
write.csv(dist, path("dist.csv"))
write.csv(rta, path("rta.csv"))
run("regress", "--y", path("trade.csv"), "--x", path("dist.csv"), path("rta.csv"),
    "--perms", "99", "--seed", "1", "-q", "--format", "csv", "-o", path("from_matrices.csv"))

# 2. One long table, the way panels are kept: CSV and Stata.
long <- data.frame(exporter = rep(ids, each = n), importer = rep(ids, times = n),
                   year = 2023L, trade = as.vector(t(trade)), dist = as.vector(t(dist)),
                   rta = as.vector(t(rta)))
long <- long[long$exporter != long$importer, ]
old <- transform(long, year = 2022L, trade = trade + 1)
panel <- rbind(old, long)
write.csv(panel, path("gravity.csv"), row.names = FALSE)
haven::write_dta(panel, path("gravity.dta"))
run("regress", "--data", path("gravity.dta"), "--where", "year=2023", "--y", "trade",
    "--x", "dist", "rta", "--perms", "99", "--seed", "1", "-q", "--format", "csv",
    "-o", path("from_dta.csv"))
run("regress", "--y", paste0(path("gravity.csv"), ":trade"),
    "--x", paste0(path("gravity.csv"), ":dist"), paste0(path("gravity.csv"), ":rta"),
    "--where", "year=2023", "--perms", "99", "--seed", "1", "-q", "--format", "csv",
    "-o", path("from_columns.csv"))

# Read the results back: plain CSV, one row per coefficient.
a <- read.csv(path("from_matrices.csv"))
b <- read.csv(path("from_dta.csv"))
c <- read.csv(path("from_columns.csv"))
stopifnot(identical(a$variable, c("(intercept)", "dist", "rta")))
stopifnot(isTRUE(all.equal(a$coefficient, b$coefficient, tolerance = 1e-12)),
          isTRUE(all.equal(a$coefficient, c$coefficient, tolerance = 1e-12)),
          identical(a$p_two_sided, b$p_two_sided), identical(a$p_two_sided, c$p_two_sided))

# The coefficients are OLS on the observed off-diagonal dyads.
off <- row(trade) != col(trade)
fit <- lm(trade[off] ~ dist[off] + rta[off])
stopifnot(isTRUE(all.equal(unname(coef(fit)), a$coefficient, tolerance = 1e-10)))

# 3. A network from igraph: an edge list qap converts to a labelled matrix.
g <- igraph::graph_from_adjacency_matrix(rta, mode = "directed", diag = FALSE)
igraph::write_graph(g, path("rta.ncol"), format = "ncol")
run("convert", path("rta.ncol"), path("rta_from_igraph.csv"))
back <- as.matrix(read.csv(path("rta_from_igraph.csv"), row.names = 1, check.names = FALSE))
for (i in rownames(back)) for (j in colnames(back)) {
  stopifnot(back[i, j] == (if (i == j) 0 else rta[i, j]))
}
cat("from_r: ok\n")
