# Writes the R-made files of tests/others_write_test.cpp (issue 13: "every file
# a network researcher already has"). Run from this folder with R, haven and
# igraph (Debian: r-base-core, r-cran-haven, r-cran-igraph):
#
#   Rscript make_files.R
#
# The test suite needs neither R nor these packages: the files are committed.
# README.md says which call wrote which file and what each should read as.
suppressPackageStartupMessages({
  library(haven)
  library(igraph)
})

ids <- c("CHN", "DEU", "USA", "C\u00f4te d'Ivoire")
values <- c(0, 1.5, 2, NA,
            3, 0, 4.25, 5,
            6, 7, 0, 8,
            9, 10, 11, 0)
# m[i, j]: the tie from row i to column j; m["CHN", "C\u00f4te d'Ivoire"] is missing.
m <- matrix(values, nrow = 4, byrow = TRUE, dimnames = list(ids, ids))

# Labelled matrices.
write.csv(m, "r_write_csv.csv", fileEncoding = "UTF-8")             # corner cell ""
write.table(m, "r_write_table.txt", fileEncoding = "UTF-8")         # space, quotes, no corner
write.table(m, "r_write_table_tab.tsv", sep = "\t", quote = FALSE,  # tab, no quotes, no corner
            fileEncoding = "UTF-8")
write.csv(m, "r_write_csv_no_row_names.csv", row.names = FALSE, fileEncoding = "UTF-8")
unnamed <- m
dimnames(unnamed) <- NULL
write.csv(unnamed, "r_write_csv_no_dimnames.csv")                   # V1..V4, rows "1".."4"
write.table(m, "r_bare.txt", row.names = FALSE, col.names = FALSE)  # numbers only

# Long tables: one row per ordered pair (i, j, y, x), the layout whose two
# value columns once read x as y.
pairs <- which(!is.na(m) & row(m) != col(m), arr.ind = TRUE)
pairs <- pairs[order(pairs[, 1], pairs[, 2]), ]
long <- data.frame(i = ids[pairs[, 1]], j = ids[pairs[, 2]], y = m[pairs],
                   x = 10 * m[pairs], stringsAsFactors = FALSE)
write.csv(long, "r_long_two_values.csv", row.names = FALSE, fileEncoding = "UTF-8")

# igraph: the ties of m, its nonzero cells. The missing cell is no edge (igraph
# writes an NA weight as NaN, which the readers refuse as not a number).
ties <- which(!is.na(m) & m != 0, arr.ind = TRUE)
ties <- ties[order(ties[, 1], ties[, 2]), ]
short <- c("CHN", "DEU", "USA", "CIV")  # blank-separated formats cannot hold a blank in a name
g <- graph_from_data_frame(
  data.frame(from = short[ties[, 1]], to = short[ties[, 2]], weight = m[ties]),
  directed = TRUE, vertices = data.frame(name = short))
write_graph(g, "r_igraph.edgelist", format = "edgelist")  # 0-based vertex ids, no weights
write_graph(g, "r_igraph.ncol", format = "ncol")          # names and weights

# The gravity panel: exporter, importer, year, trade, dist, rta. 2022 and
# 2023; in 2023 the pair USA -> C\u00f4te d'Ivoire is absent and the trade of
# DEU -> CHN is missing.
gravity <- function() {
  rows <- expand.grid(importer = ids, exporter = ids, year = c(2022L, 2023L),
                      stringsAsFactors = FALSE)
  rows <- rows[rows$exporter != rows$importer, c("exporter", "importer", "year")]
  e <- match(rows$exporter, ids)
  i <- match(rows$importer, ids)
  rows$trade <- 100 * e + 10 * i + (rows$year - 2022) / 4
  rows$dist <- 1000 * pmin(e, i) + 100 * pmax(e, i)
  rows$rta <- as.integer((e + i) %% 2 == 1)
  rows$trade[rows$exporter == "DEU" & rows$importer == "CHN" & rows$year == 2023] <- NA
  rows <- rows[!(rows$exporter == "USA" & rows$importer == ids[4] & rows$year == 2023), ]
  rownames(rows) <- NULL
  rows
}
panel <- gravity()
write.csv(panel, "gravity.csv", row.names = FALSE, fileEncoding = "UTF-8")
write_dta(panel, "gravity.dta")
write_sav(panel, "gravity.sav")
