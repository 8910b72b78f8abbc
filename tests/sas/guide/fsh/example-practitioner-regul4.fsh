
Instance: ExamplePractitionerRegul4
InstanceOf: FrPractitionerRegul
Description: "Exemple 4 practitioner flux régulateur"
Usage: #example

* meta.source = "urn:oid:1.2.250.1.213.3.6"

* identifier[IdentifiantInterne].value = "1ef1c748-01a3-6180-b098-73283ce4e5b1"

* active = true
* name.family = "Loridon"
* name.given = "Sébastien"
* telecom.value = "sebastien.loridon@test.com"