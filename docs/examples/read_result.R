# Read a `qap regress --format json` result (docs/regress-result.schema.json)
# into a data frame. Needs jsonlite (Debian: r-cran-jsonlite).
#
#   qap regress --y REE.csv --x TPR.csv PGDP.csv --perms 5000 --seed 42 --format json -o result.json
#   Rscript docs/examples/read_result.R result.json
library(jsonlite)
args <- commandArgs(trailingOnly = TRUE)
result <- fromJSON(args[[1]], simplifyVector = FALSE)
rows <- lapply(result$coefficients, function(c) {
  p <- if (is.null(c$permutation)) NA_real_ else c$permutation$p_two_sided
  data.frame(variable = c$variable, b = c$coefficient,
             beta_std = if (is.null(c$standardized)) NA_real_ else c$standardized,
             t = c$t, p_permutation = p, stars = c$stars)
})
table <- do.call(rbind, rows)
print(table, row.names = FALSE)
cat(sprintf("R2 = %.3f, N = %d, null = %s, permutations = %d, seed = %s\n",
            result$model$r_squared, result$dyads_used, result$options$null,
            result$options$permutations, format(result$options$seed)))
