graph [
  directed 1
  node [
    id 0
    label "CHN"
  ]
  node [
    id 1
    label "USA"
  ]
  node [
    id 2
    label "JPN"
  ]
  node [
    id 3
    label "DEU"
  ]
  node [
    id 4
    label "KOR"
  ]
  edge [
    source 0
    target 1
    weight 2.5
  ]
  edge [
    source 1
    target 0
    weight 1.0
  ]
  edge [
    source 2
    target 3
    weight 4.0
  ]
  edge [
    source 3
    target 4
    weight 0.25
  ]
  edge [
    source 4
    target 4
    weight 0.5
  ]
]
