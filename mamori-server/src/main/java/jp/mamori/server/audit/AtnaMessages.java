package jp.mamori.server.audit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * IHE ATNA audit messages (DICOM PS3.15 Annex A.5, the schema that RFC 3881 began) read into the
 * same AuditEvent every other channel stores: EventIdentification, ActiveParticipant,
 * AuditSourceIdentification and ParticipantObjectIdentification map onto the FHIR AuditEvent's
 * type, action, outcome, agents, source and entities, as FHIR's own mapping to DICOM does. Documents
 * with a DOCTYPE are refused outright, so no entity, internal or external, is ever expanded.
 */
final class AtnaMessages {

    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";

    private AtnaMessages() {}

    static AuditEvent read(byte[] xml) {
        Element root = parse(xml).getDocumentElement();
        if (!root.getTagName().equals("AuditMessage")) {
            throw new AccessEvents.Rejected("the XML root is <" + root.getTagName() + ">, not <AuditMessage>");
        }
        AuditEvent e = new AuditEvent();
        Element id = only(root, "EventIdentification");
        Element eventId = only(id, "EventID");
        e.setType(coding(eventId, "EventID"));
        for (Element typeCode : children(id, "EventTypeCode")) {
            e.addSubtype(coding(typeCode, "EventTypeCode"));
        }
        String action = id.getAttribute("EventActionCode");
        if (!action.isEmpty()) {
            try {
                e.setAction(AuditEvent.AuditEventAction.fromCode(action));
            } catch (org.hl7.fhir.exceptions.FHIRException ex) {
                throw new AccessEvents.Rejected("EventActionCode is not one of C, R, U, D, E");
            }
        }
        e.setRecorded(Date.from(time(required(id, "EventDateTime")).toInstant()));
        try {
            e.setOutcome(AuditEvent.AuditEventOutcome.fromCode(required(id, "EventOutcomeIndicator")));
        } catch (org.hl7.fhir.exceptions.FHIRException ex) {
            throw new AccessEvents.Rejected("EventOutcomeIndicator is not one of 0, 4, 8, 12");
        }
        List<Element> participants = children(root, "ActiveParticipant");
        if (participants.isEmpty()) {
            throw new AccessEvents.Rejected("the message has no ActiveParticipant: who acted");
        }
        for (Element p : participants) {
            var agent = e.addAgent();
            agent.getWho().getIdentifier().setValue(required(p, "UserID"));
            if (!p.getAttribute("AlternativeUserID").isEmpty()) {
                agent.setAltId(p.getAttribute("AlternativeUserID"));
            }
            if (!p.getAttribute("UserName").isEmpty()) {
                agent.setName(p.getAttribute("UserName"));
            }
            agent.setRequestor(!p.getAttribute("UserIsRequestor").equals("false"));
            if (!p.getAttribute("NetworkAccessPointID").isEmpty()) {
                agent.getNetwork().setAddress(p.getAttribute("NetworkAccessPointID"));
                String type = p.getAttribute("NetworkAccessPointTypeCode");
                if (!type.isEmpty()) {
                    try {
                        agent.getNetwork().setType(AuditEvent.AuditEventAgentNetworkType.fromCode(type));
                    } catch (org.hl7.fhir.exceptions.FHIRException ex) {
                        throw new AccessEvents.Rejected("NetworkAccessPointTypeCode is not one of 1 to 5");
                    }
                }
            }
            for (Element role : children(p, "RoleIDCode")) {
                agent.addRole().addCoding(coding(role, "RoleIDCode"));
            }
        }
        Element source = only(root, "AuditSourceIdentification");
        String sourceId = required(source, "AuditSourceID");
        e.getSource().getObserver().setDisplay(sourceId).getIdentifier().setValue(sourceId);
        if (!source.getAttribute("AuditEnterpriseSiteID").isEmpty()) {
            e.getSource().setSite(source.getAttribute("AuditEnterpriseSiteID"));
        }
        for (Element o : children(root, "ParticipantObjectIdentification")) {
            var entity = e.addEntity();
            entity.getWhat().getIdentifier().setValue(required(o, "ParticipantObjectID"));
            String type = o.getAttribute("ParticipantObjectTypeCode");
            if (!type.isEmpty()) {
                entity.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", type, null));
            }
            String role = o.getAttribute("ParticipantObjectTypeCodeRole");
            if (!role.isEmpty()) {
                entity.setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", role, null));
            }
            Element name = first(o, "ParticipantObjectName");
            if (name != null) {
                entity.setName(name.getTextContent().strip());
            }
        }
        return e;
    }

    private static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
            return b.parse(new ByteArrayInputStream(xml));
        } catch (SAXParseException e) {
            throw new AccessEvents.Rejected("the XML is not well-formed or has a DOCTYPE (line " + e.getLineNumber()
                    + ", column " + e.getColumnNumber() + ")");
        } catch (SAXException | IOException e) {
            throw new AccessEvents.Rejected("the XML cannot be read");
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The XML parser cannot be made safe", e);
        }
    }

    private static OffsetDateTime time(String value) {
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new AccessEvents.Rejected("EventDateTime is not a date and time with a time zone offset");
        }
    }

    private static Coding coding(Element e, String what) {
        String code = e.getAttribute("csd-code").isEmpty() ? e.getAttribute("code") : e.getAttribute("csd-code");
        if (code.isEmpty()) {
            throw new AccessEvents.Rejected(what + " has no csd-code (or code)");
        }
        String system = e.getAttribute("codeSystemName");
        String display = e.getAttribute("originalText").isEmpty()
                ? e.getAttribute("displayName")
                : e.getAttribute("originalText");
        return new Coding(
                system.equals("DCM") || system.isEmpty() ? DCM : system, code, display.isEmpty() ? null : display);
    }

    private static String required(Element e, String attribute) {
        String v = e.getAttribute(attribute);
        if (v.isBlank()) {
            throw new AccessEvents.Rejected(e.getTagName() + "/@" + attribute + " is required");
        }
        return v;
    }

    private static Element only(Element parent, String name) {
        Element e = first(parent, name);
        if (e == null) {
            throw new AccessEvents.Rejected("<" + parent.getTagName() + "> has no <" + name + ">");
        }
        return e;
    }

    private static @Nullable Element first(Element parent, String name) {
        List<Element> all = children(parent, name);
        return all.isEmpty() ? null : all.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el && el.getTagName().equals(name)) {
                out.add(el);
            }
        }
        return out;
    }
}
