"""Reports: the dashboard's figures, the placement report and the monthly statements.

Every figure is an aggregate computed by the database (GROUP BY over indexed ranges of
Delivery and Dispatch, and the daily PlacementStat counters); Python only formats the
aggregated rows, so a page costs a fixed number of statements whatever the volume."""
