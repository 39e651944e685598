"""relcore campaigns: campaigns, campaign entries, target groups, campaign prices and line
discounts, and campaign statistics (BC §8)."""
