
Instance: ExampleHealthcareServiceCPTS1
InstanceOf: FrHealthcareServiceAgregateurCPTS
Description: "Exemple healthcare service CPTS 1"
Usage: #example

* providedBy = Reference(ExampleOrgaCPTS1)

