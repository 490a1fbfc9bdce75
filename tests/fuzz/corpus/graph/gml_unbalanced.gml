graph [
  directed 1
  node [ id 0 label "A" ]
  node [ id 1 label "B" ]
  edge [ source 0 target 1 weight 2.5
]
