graph [
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
    weight 3.0
    count 2
    kind "trade"
  ]
  edge [
    source 1
    target 2
    weight 1.5
    count 1
    kind "aid"
  ]
  edge [
    source 2
    target 3
    weight 2.0
    count 5
    kind "trade"
  ]
]
