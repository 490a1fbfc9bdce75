Creator "igraph version 0.10.2"
Version 1
graph
[
  directed 0
  node
  [
    id 0
    name "A"
  ]
  node
  [
    id 1
    name "B"
  ]
  node
  [
    id 2
    name "C"
  ]
  node
  [
    id 3
    name "D"
  ]
  edge
  [
    source 1
    target 0
    weight 1.5
  ]
  edge
  [
    source 2
    target 1
  ]
  edge
  [
    source 3
    target 2
    weight 2
  ]
]
