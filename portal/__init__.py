"""The portal: what people land on and what the public reads. Dashboards per role with their
charts, and the public register of published partnerships. No models; it sits above every app
and reads them all."""
