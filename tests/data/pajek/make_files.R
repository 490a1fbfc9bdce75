# Writes the Pajek files R igraph writes (issue 13).
# Run from this folder: Rscript make_files.R   (R 4.2.2, igraph 1.3.5)
# README.md says what each file reads as.
suppressMessages(library(igraph))

ids <- c("CHN", "DEU", "USA", "C\u00f4te d'Ivoire")
# The directed ties (from, to, weight) and the undirected ones, 1-based.
arcs <- data.frame(
  from = c(1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4),
  to = c(2, 3, 1, 3, 4, 1, 2, 4, 1, 2, 3),
  weight = c(1.5, 2, 3, 4.25, 5, 6, 7, 8, 9, 10, 11)
)
edges <- data.frame(
  from = c(1, 1, 2, 2, 3),
  to = c(2, 3, 3, 4, 4),
  weight = c(1.5, 2, 4.25, 5, 8)
)

graph_of <- function(ties, directed) {
  g <- make_empty_graph(n = 4, directed = directed)
  g <- add_edges(g, as.vector(t(as.matrix(ties[, c("from", "to")]))))
  E(g)$weight <- ties$weight
  g
}

# igraph writes a vertex label only from the "id" attribute.
directed <- graph_of(arcs, TRUE)
V(directed)$id <- ids
write_graph(directed, "r_igraph_directed.net", format = "pajek")

undirected <- graph_of(edges, FALSE)
V(undirected)$id <- ids
write_graph(undirected, "r_igraph_undirected.net", format = "pajek")

# With "name" only (igraph's usual attribute), no labels: vertices 1..4.
names_only <- graph_of(arcs, TRUE)
V(names_only)$name <- ids
write_graph(names_only, "r_igraph_names.net", format = "pajek")
