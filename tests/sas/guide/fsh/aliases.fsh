// ---- Systems

Alias: $v2-0203 = http://interopsante.org/CodeSystem/v2-0203
Alias: $JDV-J165-TypeCreneau-SAS = https://mos.esante.gouv.fr/NOS/JDV_J165-TypeCreneau-SAS/FHIR/JDV-J165-TypeCreneau-SAS
Alias: $v3-ActEncounterCode = http://terminology.hl7.org/ValueSet/v3-ActEncounterCode
Alias: $fr-v2-0203 = https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203
Alias: $v3-ActCode = http://terminology.hl7.org/CodeSystem/v3-ActCode
Alias: $fr-location-identifier-type = https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-location-identifier-type
Alias: $v2-0276 = http://terminology.hl7.org/CodeSystem/v2-0276
Alias: $TRE_R38 = https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale

// ---- Extensions
Alias: $servicetype-r5 = http://hl7.org/fhir/5.0/StructureDefinition/extension-Slot.serviceType


