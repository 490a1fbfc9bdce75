# Writes the R igraph files read by tests/graph_files_test.cpp. Run from this
# folder with Debian's r-cran-igraph (1.3): Rscript make_files.R
library(igraph)

# Directed, named vertices, one weight; "Z" has no edge.
g <- graph_from_data_frame(
  data.frame(from = c("X", "Y", "Y"), to = c("Y", "X", "W"), weight = c(1, 2, 3.5)),
  directed = TRUE, vertices = data.frame(name = c("W", "X", "Y", "Z")))
write_graph(g, "r_igraph_directed.graphml", format = "graphml")
write_graph(g, "r_igraph_directed.gml", format = "gml")

# igraph stamps GML files with the time; keep the files stable between runs.
gml <- readLines("r_igraph_directed.gml")
gml <- sub('^Creator "igraph version ([^ ]*) .*"$', 'Creator "igraph version \\1"', gml)
writeLines(gml, "r_igraph_directed.gml")
