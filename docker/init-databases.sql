-- The platform's own database beside Temporal's ("temporal" and "temporal_visibility" come from the temporal-schema job).
CREATE DATABASE aftersales OWNER temporal;
