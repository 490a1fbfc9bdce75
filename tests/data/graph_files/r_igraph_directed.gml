Creator "igraph version 1.3.4.9022"
Version 1
graph
[
  directed 1
  node
  [
    id 0
    name "W"
  ]
  node
  [
    id 1
    name "X"
  ]
  node
  [
    id 2
    name "Y"
  ]
  node
  [
    id 3
    name "Z"
  ]
  edge
  [
    source 1
    target 2
    weight 1
  ]
  edge
  [
    source 2
    target 1
    weight 2
  ]
  edge
  [
    source 2
    target 0
    weight 3.5
  ]
]
